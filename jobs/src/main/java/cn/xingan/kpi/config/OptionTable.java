package cn.xingan.kpi.config;

import static cn.xingan.kpi.config.Command.BACKFILL;
import static cn.xingan.kpi.config.Command.FLINK_RUN;
import static cn.xingan.kpi.config.Command.INIT_DB;
import static cn.xingan.kpi.config.Command.LOCAL;
import static cn.xingan.kpi.config.Command.PRODUCE;
import static cn.xingan.kpi.config.Command.QUICKSTART;
import static cn.xingan.kpi.config.Command.RUN;

import cn.xingan.kpi.config.Option.Kind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every option of every entry, declared once with its default and a line of documentation (after
 * Flink's examples' CLI holder). The command line, the environment and config files are read
 * against it ({@link OptionSources}), {@code --help} and the README's table are printed from it,
 * and the typed records ({@link KpiOptions}, {@link EngineOptions}, the command records) take their
 * values from it.
 */
public final class OptionTable {
  private static final Set<Command> ALL = EnumSet.allOf(Command.class);
  private static final Set<Command> JOB = EnumSet.of(QUICKSTART, RUN, BACKFILL, FLINK_RUN);
  private static final Set<Command> STREAMING = EnumSet.of(QUICKSTART, RUN, FLINK_RUN);
  private static final Set<Command> CLICKHOUSE =
      EnumSet.of(QUICKSTART, RUN, BACKFILL, INIT_DB, FLINK_RUN);
  private static final Set<Command> KAFKA_CLIENTS =
      EnumSet.of(QUICKSTART, RUN, BACKFILL, FLINK_RUN, PRODUCE);

  private static final List<Option> OPTIONS = new ArrayList<>();
  private static String group;

  static {
    group = "General";
    add("config", null, "YAML file of options; keys are the long option names", Kind.VALUE, ALL);
    add("verbose", "false", "print the stack trace of a failure", Kind.FLAG, ALL);
    add("help", "false", "explain the command and its options", Kind.FLAG, ALL);

    group = "ClickHouse";
    add(
        "clickhouse-url",
        "http://127.0.0.1:8123",
        "ClickHouse HTTP URL",
        EnumSet.of(QUICKSTART, RUN, BACKFILL, INIT_DB, FLINK_RUN, LOCAL));
    add("clickhouse-user", "default", "ClickHouse user", CLICKHOUSE);
    add(
        "clickhouse-password",
        "",
        "ClickHouse password (or env CLICKHOUSE_PASSWORD); never printed",
        Kind.SECRET,
        CLICKHOUSE);
    add(
        "clickhouse-password-file",
        null,
        "file holding the ClickHouse password (instead of --clickhouse-password)",
        Kind.VALUE,
        CLICKHOUSE);
    add(
        "database",
        "kpi",
        "ClickHouse database of the KPI tables (local start: the one its users may use)",
        EnumSet.of(QUICKSTART, RUN, BACKFILL, INIT_DB, FLINK_RUN, LOCAL));

    group = "Kafka";
    add(
        "kafka-bootstrap",
        "127.0.0.1:9092",
        "Kafka bootstrap servers",
        EnumSet.of(QUICKSTART, RUN, BACKFILL, FLINK_RUN, LOCAL, PRODUCE));
    add("kafka-group-id", "kpi-jobs", "Kafka consumer group of the streaming jobs", STREAMING);
    add(
        "kafka-property",
        null,
        "Kafka client property KEY=VALUE for every client (e.g. security.protocol=SASL_SSL);"
            + " repeatable",
        Kind.LIST,
        KAFKA_CLIENTS);

    group = "Events and periods";
    add("zone", "Asia/Shanghai", "time zone of the calendar periods", JOB);
    add(
        "emit-interval",
        "10s",
        "how often open periods' changed rows are re-emitted",
        Kind.VALUE,
        JOB,
        Map.of(QUICKSTART, "5s"));
    add("allowed-lateness", "7d", "how long after a period's end late events still count", JOB);
    add("max-future", "1d", "events stamped further ahead of the wall clock are rejected", JOB);
    add("out-of-orderness", "5m", "watermark bound on out-of-order event times", JOB);
    add("idleness", "1m", "a Kafka partition silent this long stops holding the watermark", JOB);
    add("max-record-bytes", "1048576", "records larger than this are rejected unparsed", JOB);

    group = "ClickHouse sink";
    add("sink-batch-rows", "5000", "rows per ClickHouse insert batch", JOB);
    add(
        "sink-batch-interval",
        "2s",
        "longest wait before a partial batch is written (sooner once rows stop coming for 200 ms,"
            + " at most one insert a second per table)",
        JOB);
    add(
        "sink-max-retries",
        "10",
        "retries of a batch failing for an unknown reason (outages: until it returns)",
        JOB);

    group = "Projects and alerts";
    add(
        "registration-wait",
        "1d",
        "event time a project's events wait for its registration (then unknown_project)",
        JOB);
    add(
        "start-overdue-days",
        "7",
        "start_overdue opens at 00:00 this many days after planned_start without a start",
        JOB);
    add("no-report-after", "14d", "no_report opens this long after a project's last report", JOB);
    add(
        "behind-plan-pct",
        "80",
        "behind_plan opens when YTD investment is below this % of the expected",
        JOB);
    add("behind-plan-critical-pct", "50", "behind_plan is critical below this % of it", JOB);
    add(
        "alert-webhook",
        null,
        "also POST every alert version (open, severity change, resolve) as the JSON of the topic"
            + " project-alerts to this URL; at least once, retried with backoff (header"
            + " Idempotency-Key: <alert_id>/<version>)",
        Kind.SECRET,
        STREAMING);

    group = "Engine";
    add(
        "parallelism",
        "1",
        "Flink parallelism of the local run",
        EnumSet.of(QUICKSTART, RUN, BACKFILL, FLINK_RUN));
    add("checkpoint-interval", "30s", "checkpoint interval of streaming runs", STREAMING);
    add(
        "checkpoint-timeout",
        "10m",
        "a checkpoint not complete by then is abandoned (a ClickHouse outage holds checkpoints"
            + " back; the job waits instead of restarting, see the next option)",
        STREAMING);
    add(
        "tolerable-checkpoint-failures",
        "144",
        "checkpoints in a row that may fail or time out before the job restarts (144 × 10m: a"
            + " day of ClickHouse outage)",
        STREAMING);
    add(
        "state-backend",
        "rocksdb",
        "Flink state backend: rocksdb (incremental checkpoints; state larger than memory) or"
            + " hashmap (on the heap, about twice as fast; quickstart's week fits)",
        Kind.VALUE,
        STREAMING,
        Map.of(QUICKSTART, "hashmap"));
    add(
        "state-dir",
        ".kpi/state",
        "where local runs keep checkpoints (checkpoints/) and savepoints (savepoints/); a run"
            + " resumes from the latest one there (on a cluster: Flink's"
            + " execution.checkpointing.dir)",
        Kind.VALUE,
        EnumSet.of(QUICKSTART, RUN),
        Map.of(QUICKSTART, "<data-dir>/state"));
    add(
        "from-savepoint",
        null,
        "resume from this savepoint or retained checkpoint instead of the latest in --state-dir",
        Kind.VALUE,
        EnumSet.of(QUICKSTART, RUN));
    add(
        "reset-state",
        "false",
        "start without state (not resuming what --state-dir holds) although the Kafka group has"
            + " committed offsets: the group's offsets are deleted and the jobs recompute from the"
            + " earliest records Kafka still holds",
        Kind.FLAG,
        EnumSet.of(QUICKSTART, RUN));
    add(
        "metrics-port",
        "9249",
        "port of the Prometheus metrics endpoint of local runs (0: off; on a cluster, Flink's"
            + " own reporter configuration)",
        EnumSet.of(QUICKSTART, RUN));
    add(
        "flink-ui-port",
        "8081",
        "port of Flink's web UI of local runs on 127.0.0.1 (0: off; on a cluster, the"
            + " JobManager's)",
        EnumSet.of(QUICKSTART, RUN));
    add(
        "web-port",
        "8080",
        "port of the live web page and its JSON API on 127.0.0.1 (0: off)",
        EnumSet.of(QUICKSTART, RUN));

    group = "backfill and produce";
    add(
        "input",
        null,
        "JSON Lines file or folder to backfill or produce (required; under flink run: backfill"
            + " instead of streaming)",
        Kind.VALUE,
        EnumSet.of(BACKFILL, FLINK_RUN, PRODUCE));

    group = "init-db";
    add(
        "cluster",
        null,
        "create the sharded layout on every server of this ClickHouse cluster (remote_servers):"
            + " <table>_local on each shard, Distributed tables under the tables' names",
        Kind.VALUE,
        EnumSet.of(INIT_DB));
    add(
        "replicated",
        "false",
        "with --cluster: Replicated*MergeTree shard tables (needs ZooKeeper and the {shard} and"
            + " {replica} macros)",
        Kind.FLAG,
        EnumSet.of(INIT_DB));

    group = "Local services";
    add(
        "data-dir",
        ".kpi",
        "where the local ClickHouse and Kafka keep their data (clickhouse/, kafka/)",
        EnumSet.of(QUICKSTART, LOCAL));

    group = "quickstart";
    Set<Command> qs = EnumSet.of(QUICKSTART);
    add("duration", null, "stop cleanly after this long, e.g. 60s (default: until Ctrl-C)", qs);
    add("rate", "1800", "service transactions per hour of generated traffic", qs);
    add("history", "7d", "generated history before now, produced first", qs);
    add(
        "seed",
        null,
        "generator seed (default: time-based; a resumed quickstart keeps its first seed)",
        qs);
    add(
        "fresh",
        "false",
        "start clean: stop the local ClickHouse and Kafka of --data-dir and delete their data and"
            + " the state (otherwise a quickstart resumes the previous one)",
        Kind.FLAG,
        qs);
  }

  private OptionTable() {}

  /** Every option, in table order. */
  public static List<Option> all() {
    return List.copyOf(OPTIONS);
  }

  public static Optional<Option> find(String name) {
    return OPTIONS.stream().filter(o -> o.name().equals(name)).findFirst();
  }

  /** The option; a name not in the table is a bug of the caller. */
  public static Option get(String name) {
    return find(name).orElseThrow(() -> new IllegalStateException("no option --" + name));
  }

  /** The options a command takes, in table order. */
  public static List<Option> of(Command command) {
    return OPTIONS.stream().filter(o -> o.commands().contains(command)).toList();
  }

  /** The help text of a command's options, by group, one line each with its default. */
  public static String help(Command command) {
    Map<String, List<Option>> byGroup = new LinkedHashMap<>();
    for (Option o : of(command)) {
      byGroup.computeIfAbsent(o.group(), g -> new ArrayList<>()).add(o);
    }
    StringBuilder b = new StringBuilder();
    byGroup.forEach(
        (g, options) -> {
          b.append(System.lineSeparator()).append(g).append(':').append(System.lineSeparator());
          for (Option o : options) {
            String d = o.defaultFor(command);
            String value = o.kind() == Kind.FLAG ? "" : " " + metavar(o);
            b.append(
                String.format(
                    "  --%-32s %s%s%n",
                    o.name() + value,
                    o.doc(),
                    d == null || d.isEmpty() || o.kind() == Kind.FLAG
                        ? ""
                        : " (default: " + d + ")"));
          }
        });
    b.append(System.lineSeparator())
        .append("Every option can also be set in the environment as KPI_<NAME> (e.g.")
        .append(" KPI_CLICKHOUSE_URL) or in --config FILE;")
        .append(System.lineSeparator())
        .append("the command line wins over the environment, which wins over the file.")
        .append(System.lineSeparator());
    return b.toString();
  }

  /**
   * Prints the README's table: {@code java -cp jobs/target/classes
   * cn.xingan.kpi.config.OptionTable} (ReadmeOptionsTest keeps the README equal to it).
   */
  public static void main(String[] args) {
    System.out.print(markdown());
  }

  /** The README's table of all options (a test keeps the README equal to it). */
  public static String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("| option | environment | default | commands | meaning |\n");
    b.append("|---|---|---|---|---|\n");
    for (Option o : OPTIONS) {
      String commands =
          o.commands().equals(ALL)
              ? "all"
              : o.commands().stream().map(Command::code).collect(Collectors.joining(", "));
      String d = o.defaultValue() == null || o.defaultValue().isEmpty() ? "" : o.defaultValue();
      String more =
          o.commandDefaults().entrySet().stream()
              .map(e -> e.getKey().code() + ": " + e.getValue())
              .collect(Collectors.joining(", "));
      b.append("| `--")
          .append(o.name())
          .append("` | `")
          .append(o.envName())
          .append("` | ")
          .append(d.isEmpty() ? "" : "`" + d + "`")
          .append(more.isEmpty() ? "" : " (" + more + ")")
          .append(" | ")
          .append(commands)
          .append(" | ")
          .append(o.doc().replace("|", "\\|"))
          .append(" |\n");
    }
    return b.toString();
  }

  /** What the value looks like, from the option's name and default: PATH, DURATION, N, … */
  private static String metavar(Option o) {
    String d = o.defaultValue() == null ? "" : o.defaultValue();
    if (o.kind() == Kind.LIST) {
      return "KEY=VALUE";
    } else if (o.name().endsWith("-file")
        || o.name().endsWith("-dir")
        || o.name().equals("input")
        || o.name().equals("from-savepoint")
        || o.name().equals("config")) {
      return "PATH";
    } else if (o.name().endsWith("-url")) {
      return "URL";
    } else if (d.matches("\\d+(ms|s|m|h|d)") || o.name().equals("duration")) {
      return "DURATION";
    } else if (d.matches("\\d+") || o.name().equals("seed")) {
      return "N";
    }
    return "VALUE";
  }

  private static void add(String name, String def, String doc, Set<Command> commands) {
    add(name, def, doc, Kind.VALUE, commands);
  }

  private static void add(String name, String def, String doc, Kind kind, Set<Command> commands) {
    add(name, def, doc, kind, commands, Map.of());
  }

  private static void add(
      String name,
      String def,
      String doc,
      Kind kind,
      Set<Command> commands,
      Map<Command, String> commandDefaults) {
    if (find(name).isPresent()) {
      throw new IllegalStateException("option --" + name + " declared twice");
    }
    OPTIONS.add(new Option(name, def, doc, group, kind, commands, commandDefaults));
  }
}
