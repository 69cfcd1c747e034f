package cn.xingan.kpi.cli;

import cn.xingan.kpi.config.Command;
import cn.xingan.kpi.config.OptionSources;
import cn.xingan.kpi.config.OptionTable;
import cn.xingan.kpi.config.OptionValues;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/kpi}: the one entry point. Resolves the command's options from the command line, the
 * environment and a config file (naming any bad one), and hands over. Exit code 2 means bad usage,
 * 1 a failure; a failure is one or two lines, with the stack trace only under {@code --verbose}.
 */
public final class KpiCli {
  static final String USAGE =
      """
      Usage: bin/kpi COMMAND [options]

      Commands:
        quickstart   local ClickHouse and Kafka, generated data, the streaming jobs and live KPIs
        run          the streaming jobs against the configured Kafka and ClickHouse (local Flink)
        backfill     replay JSON Lines files (--input PATH) as a bounded job, then exit
        init-db      create or upgrade the ClickHouse schema from sql/
        local        start|status|stop a local ClickHouse and Kafka in the background (--data-dir)
        produce      send JSON Lines (--input PATH) to Kafka, keyed as the contract says
        bench        the benchmark of the speed goals on this machine (benchmarks/RESULTS.md)

      bin/kpi COMMAND --help explains a command and its options.
      """;

  /**
   * A command: its option set, its help text, the actions it takes as its first word ({@code local
   * start}; none for most) and what it does with the action and its resolved options.
   */
  private record Entry(Command command, String help, List<String> actions, Runner runner) {
    Entry(Command command, String help, Plain plain) {
      this(command, help, List.of(), (action, options) -> plain.run(options));
    }
  }

  @FunctionalInterface
  interface Runner {
    int run(String action, OptionValues options) throws Exception;
  }

  @FunctionalInterface
  interface Plain {
    int run(OptionValues options) throws Exception;
  }

  private static final Map<String, Entry> COMMANDS =
      Map.of(
          "quickstart", new Entry(Command.QUICKSTART, Quickstart.HELP, Quickstart::run),
          "run", new Entry(Command.RUN, RunCommand.HELP, RunCommand::run),
          "backfill", new Entry(Command.BACKFILL, Backfill.HELP, Backfill::run),
          "init-db", new Entry(Command.INIT_DB, InitDb.HELP, InitDb::run),
          "local",
              new Entry(Command.LOCAL, LocalCommand.HELP, LocalCommand.ACTIONS, LocalCommand::run),
          "produce", new Entry(Command.PRODUCE, Produce.HELP, Produce::run));

  private KpiCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv()));
  }

  /** Runs one command line with this environment and returns its exit code (tests call it). */
  public static int run(String[] args, Map<String, String> env) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String name = args[0];
    Entry entry = COMMANDS.get(name);
    if (entry == null) {
      System.err.println(
          "bin/kpi: unknown command '"
              + name
              + "'; expected quickstart, run, backfill, init-db, local, produce or bench");
      System.err.println();
      System.err.print(USAGE);
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    boolean verbose = Arrays.asList(rest).contains("--verbose");
    String action = null;
    if (!entry.actions().isEmpty() && rest.length > 0 && !rest[0].startsWith("--")) {
      action = rest[0];
      rest = Arrays.copyOfRange(rest, 1, rest.length);
    }
    try {
      OptionValues options = OptionSources.resolve(entry.command(), rest, env);
      verbose = options.flag("verbose");
      if (options.flag("help")) {
        System.out.print(entry.help());
        System.out.print(OptionTable.help(entry.command()));
        return 0;
      }
      if (!entry.actions().isEmpty() && (action == null || !entry.actions().contains(action))) {
        throw new IllegalArgumentException(
            (action == null ? "needs an action" : "unknown action '" + action + "'")
                + "; expected "
                + String.join(", ", entry.actions())
                + ", e.g. bin/kpi "
                + name
                + " "
                + entry.actions().get(0));
      }
      return entry.runner().run(action, options);
    } catch (IllegalArgumentException e) {
      System.err.println("bin/kpi " + name + ": " + e.getMessage());
      if (verbose) {
        e.printStackTrace(System.err);
      }
      return 2;
    } catch (Exception e) {
      System.err.println("bin/kpi " + name + " failed: " + Failures.describe(e));
      if (verbose) {
        e.printStackTrace(System.err);
      } else {
        System.err.println("(run again with --verbose for the stack trace)");
      }
      return 1;
    }
  }
}
