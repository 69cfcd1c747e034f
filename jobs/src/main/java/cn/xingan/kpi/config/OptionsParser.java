package cn.xingan.kpi.config;

import cn.xingan.kpi.project.ProjectOptions;
import cn.xingan.kpi.sink.ClickHouseEndpoint;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code --name value} / {@code --name=value} arguments into {@link KpiOptions}, after the
 * shape of Flink's examples' CLI holder: every option is declared once with its default and a line
 * of documentation, which is also the {@code --help} text. Arguments it does not know are returned
 * as positional/extra so commands can add their own (e.g. {@code --input}).
 */
public final class OptionsParser {

  /** One documented option. */
  public record Option(String name, String defaultValue, String doc) {}

  public static final List<Option> OPTIONS =
      List.of(
          new Option("clickhouse-url", "http://127.0.0.1:8123", "ClickHouse HTTP URL"),
          new Option("clickhouse-user", "default", "ClickHouse user"),
          new Option("clickhouse-password", "", "ClickHouse password (or env CLICKHOUSE_PASSWORD)"),
          new Option("database", "kpi", "ClickHouse database for the KPI tables"),
          new Option("kafka-bootstrap", "127.0.0.1:9092", "Kafka bootstrap servers"),
          new Option("kafka-group-id", "kpi-jobs", "Kafka consumer group of the jobs"),
          new Option("zone", "Asia/Shanghai", "time zone of the calendar periods"),
          new Option("emit-interval", "10s", "how often open periods' changed rows are re-emitted"),
          new Option(
              "allowed-lateness", "7d", "how long after a period's end late events still count"),
          new Option(
              "max-future", "1d", "events stamped further ahead of the wall clock are rejected"),
          new Option("out-of-orderness", "5m", "watermark bound on out-of-order event times"),
          new Option(
              "idleness", "1m", "a Kafka partition silent this long stops holding the watermark"),
          new Option("sink-batch-rows", "5000", "rows per ClickHouse insert batch"),
          new Option("sink-batch-interval", "2s", "longest wait before a partial batch is written"),
          new Option(
              "sink-max-retries",
              "10",
              "retries of a ClickHouse batch failing for an unknown reason (outages: until it returns)"),
          new Option("checkpoint-interval", "30s", "checkpoint interval of streaming runs"),
          new Option("state-backend", "hashmap", "Flink state backend: hashmap or rocksdb"),
          new Option(
              "max-record-bytes", "1048576", "records larger than this are rejected unparsed"),
          new Option(
              "registration-wait",
              "1d",
              "event time a project's events wait for its registration (then unknown_project)"),
          new Option(
              "start-overdue-days",
              "7",
              "start_overdue opens at 00:00 this many days after planned_start without a start"),
          new Option(
              "no-report-after", "14d", "no_report opens this long after a project's last report"),
          new Option(
              "behind-plan-pct",
              "80",
              "behind_plan opens when YTD investment is below this % of the expected"),
          new Option(
              "behind-plan-critical-pct", "50", "behind_plan is critical below this % of it"));

  /**
   * The parsed options, whatever arguments were not options of this holder, and the names of the
   * options given explicitly (so a command can tell a default from a choice).
   */
  public record Parsed(
      KpiOptions options,
      Map<String, String> extra,
      List<String> positional,
      java.util.Set<String> given) {}

  private OptionsParser() {}

  public static Parsed parse(String[] args) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Option o : OPTIONS) {
      values.put(o.name(), o.defaultValue());
    }
    String envPassword = System.getenv("CLICKHOUSE_PASSWORD");
    if (envPassword != null) {
      values.put("clickhouse-password", envPassword);
    }
    Map<String, String> extra = new LinkedHashMap<>();
    List<String> positional = new ArrayList<>();
    java.util.Set<String> given = new java.util.HashSet<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        positional.add(arg);
        continue;
      }
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        value = args[++i];
      } else {
        value = "true";
      }
      given.add(name);
      (values.containsKey(name) ? values : extra).put(name, value);
    }
    return new Parsed(build(values), extra, positional, given);
  }

  private static KpiOptions build(Map<String, String> v) {
    return new KpiOptions(
        clickhouse(v),
        nonEmpty("kafka-bootstrap", v.get("kafka-bootstrap")),
        nonEmpty("kafka-group-id", v.get("kafka-group-id")),
        zone(v.get("zone")),
        positive("emit-interval", v.get("emit-interval")),
        nonNegative("allowed-lateness", v.get("allowed-lateness")),
        nonNegative("max-future", v.get("max-future")),
        nonNegative("out-of-orderness", v.get("out-of-orderness")),
        positive("idleness", v.get("idleness")),
        positiveInt("sink-batch-rows", v.get("sink-batch-rows")),
        positive("sink-batch-interval", v.get("sink-batch-interval")),
        nonNegativeInt("sink-max-retries", v.get("sink-max-retries")),
        positive("checkpoint-interval", v.get("checkpoint-interval")),
        stateBackend(v.get("state-backend")),
        positiveInt("max-record-bytes", v.get("max-record-bytes")),
        project(v));
  }

  private static ProjectOptions project(Map<String, String> v) {
    return new ProjectOptions(
        nonNegative("registration-wait", v.get("registration-wait")),
        nonNegativeInt("start-overdue-days", v.get("start-overdue-days")),
        positive("no-report-after", v.get("no-report-after")),
        atLeast("behind-plan-pct", v.get("behind-plan-pct"), 1),
        nonNegativeInt("behind-plan-critical-pct", v.get("behind-plan-critical-pct")));
  }

  /** The options' help text: one line per option with its default. */
  public static String help() {
    StringBuilder b = new StringBuilder();
    for (Option o : OPTIONS) {
      b.append(
          String.format(
              "  --%-22s %s (default: %s)%n",
              o.name(), o.doc(), o.defaultValue().isEmpty() ? "none" : o.defaultValue()));
    }
    return b.toString();
  }

  /** The endpoint, with its complaints naming the option to fix. */
  private static ClickHouseEndpoint clickhouse(Map<String, String> v) {
    String url = v.get("clickhouse-url");
    String database = v.get("database");
    if (database == null || !database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          "--database '" + database + "' must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*)");
    }
    try {
      return new ClickHouseEndpoint(
          url, v.get("clickhouse-user"), v.get("clickhouse-password"), database);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--clickhouse-url: " + e.getMessage(), e);
    }
  }

  private static String nonEmpty(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("--" + name + " must not be empty");
    }
    return value;
  }

  private static ZoneId zone(String text) {
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "--zone '" + text + "' is not a time zone; expected a region id such as Asia/Shanghai");
    }
  }

  private static Duration positive(String name, String text) {
    Duration d = Durations.parse(name, text);
    if (d.isZero()) {
      throw new IllegalArgumentException("--" + name + " '" + text + "' must be greater than zero");
    }
    return d;
  }

  private static Duration nonNegative(String name, String text) {
    return Durations.parse(name, text);
  }

  private static int positiveInt(String name, String text) {
    return atLeast(name, text, 1);
  }

  private static int nonNegativeInt(String name, String text) {
    return atLeast(name, text, 0);
  }

  private static int atLeast(String name, String text, int min) {
    try {
      int n = Integer.parseInt(text.trim());
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "--"
            + name
            + " '"
            + text
            + "' is not a whole number >= "
            + min
            + " (at most "
            + Integer.MAX_VALUE
            + ")");
  }

  private static String stateBackend(String text) {
    if (!text.equals("hashmap") && !text.equals("rocksdb")) {
      throw new IllegalArgumentException(
          "--state-backend '" + text + "' is not known; expected hashmap or rocksdb");
    }
    return text;
  }
}
