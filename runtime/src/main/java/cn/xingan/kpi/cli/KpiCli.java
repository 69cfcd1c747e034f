package cn.xingan.kpi.cli;

import cn.xingan.kpi.config.OptionsParser;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * {@code bin/kpi}: the one entry point. Parses the command, checks its options against what the
 * command accepts (naming the bad one), and hands over. Exit code 2 means bad usage, 1 a failure.
 */
public final class KpiCli {
  private static final String USAGE =
      """
      Usage: bin/kpi COMMAND [options]

      Commands:
        quickstart   local ClickHouse and Kafka, generated data, the streaming jobs and live KPIs
        run          the streaming jobs against the configured Kafka and ClickHouse (local Flink)
        backfill     replay JSON Lines files (--input PATH) as a bounded job, then exit
        init-db      create or upgrade the ClickHouse schema from sql/

      bin/kpi COMMAND --help explains a command and its options.
      """;

  private KpiCli() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String command = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      OptionsParser.Parsed parsed = OptionsParser.parse(rest);
      boolean help = parsed.extra().containsKey("help");
      return switch (command) {
        case "init-db" -> help ? help(InitDb.HELP) : InitDb.run(checked(parsed, InitDb.EXTRA));
        case "run" ->
            help ? help(RunCommand.HELP) : RunCommand.run(checked(parsed, RunCommand.EXTRA));
        case "backfill" ->
            help ? help(Backfill.HELP) : Backfill.run(checked(parsed, Backfill.EXTRA));
        case "quickstart" ->
            help ? help(Quickstart.HELP) : Quickstart.run(checked(parsed, Quickstart.EXTRA));
        default -> {
          System.err.println(
              "bin/kpi: unknown command '"
                  + command
                  + "'; expected quickstart, run, backfill or init-db\n");
          System.err.print(USAGE);
          yield 2;
        }
      };
    } catch (IllegalArgumentException e) {
      System.err.println("bin/kpi " + command + ": " + e.getMessage());
      return 2;
    } catch (Exception e) {
      System.err.println("bin/kpi " + command + " failed: " + rootMessage(e));
      e.printStackTrace(System.err);
      return 1;
    }
  }

  private static int help(String text) {
    System.out.print(text);
    System.out.println("\nCommon options:");
    System.out.print(OptionsParser.help());
    return 0;
  }

  /** Rejects options the command does not know, naming them. */
  private static OptionsParser.Parsed checked(OptionsParser.Parsed parsed, Set<String> allowed) {
    for (Map.Entry<String, String> e : parsed.extra().entrySet()) {
      if (!allowed.contains(e.getKey())) {
        throw new IllegalArgumentException(
            "unknown option --" + e.getKey() + "; see --help for this command's options");
      }
    }
    if (!parsed.positional().isEmpty()) {
      throw new IllegalArgumentException(
          "unexpected argument '" + parsed.positional().get(0) + "'; options start with --");
    }
    return parsed;
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (cause: " + t + ")";
  }
}
