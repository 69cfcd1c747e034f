package cn.xingan.kpi.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The typed options of each command, built from the same option table: what a command needs beyond
 * the pipeline's {@link KpiOptions} and the engine's {@link EngineOptions}. One record per command,
 * so a command reads fields, not option names.
 */
public final class CommandOptions {
  private CommandOptions() {}

  /**
   * {@code bin/kpi run} and the streaming mode of {@code flink run}.
   *
   * @param webPort the live page's port, 0 for none (always 0 under flink run)
   * @param fromSavepoint resume from this instead of the latest state in the state dir
   * @param resetState start without state although the Kafka group has committed offsets
   */
  public record Run(
      KpiOptions job,
      EngineOptions engine,
      int webPort,
      int flinkUiPort,
      Path fromSavepoint,
      boolean resetState,
      boolean verbose) {
    public static Run from(OptionValues v) {
      boolean local = v.command() == Command.RUN;
      return new Run(
          KpiOptions.from(v),
          EngineOptions.from(v),
          local ? v.integer("web-port", 0, 65535) : 0,
          local ? v.integer("flink-ui-port", 0, 65535) : 0,
          local ? v.path("from-savepoint") : null,
          local && v.flag("reset-state"),
          v.flag("verbose"));
    }
  }

  /**
   * {@code bin/kpi backfill --input PATH}.
   *
   * @param publishToKafka rejections and alerts also to Kafka: only when the user gave a Kafka
   */
  public record Backfill(
      KpiOptions job, EngineOptions engine, Path input, boolean publishToKafka, boolean verbose) {
    public static Backfill from(OptionValues v) {
      return new Backfill(
          KpiOptions.from(v),
          EngineOptions.from(v),
          Path.of(v.required("input")),
          v.given("kafka-bootstrap"),
          v.flag("verbose"));
    }
  }

  /**
   * {@code bin/kpi quickstart}.
   *
   * @param duration {@code null}: until Ctrl-C
   * @param seed {@code null}: time-based
   * @param localClickHouse start (or reuse) a local ClickHouse: no {@code --clickhouse-url} given
   * @param localKafka start an embedded broker: no {@code --kafka-bootstrap} given
   * @param fresh stop the local services and delete the data dir's data first
   */
  public record Quickstart(
      KpiOptions job,
      EngineOptions engine,
      Duration duration,
      double rate,
      Duration history,
      Path dataDir,
      Long seed,
      boolean localClickHouse,
      boolean localKafka,
      int webPort,
      int flinkUiPort,
      Path fromSavepoint,
      boolean resetState,
      boolean fresh,
      boolean verbose) {
    public static Quickstart from(OptionValues v) {
      return new Quickstart(
          KpiOptions.from(v),
          EngineOptions.from(v),
          v.text("duration") == null ? null : v.duration("duration"),
          v.positiveNumber("rate"),
          v.duration("history"),
          v.path("data-dir"),
          v.text("seed") == null ? null : v.longValue("seed", Long.MIN_VALUE, Long.MAX_VALUE),
          !v.given("clickhouse-url"),
          !v.given("kafka-bootstrap"),
          v.integer("web-port", 0, 65535),
          v.integer("flink-ui-port", 0, 65535),
          v.path("from-savepoint"),
          v.flag("reset-state"),
          v.flag("fresh"),
          v.flag("verbose"));
    }
  }

  /**
   * {@code bin/kpi local start|status|stop}: where the local services answer and keep their data.
   *
   * @param clickhouseUrl where ClickHouse answers, or is started (its port, on 127.0.0.1)
   * @param kafkaBootstrap where Kafka answers, or is started (its port, on 127.0.0.1)
   */
  public record Local(
      String clickhouseUrl, String kafkaBootstrap, String database, Path dataDir, boolean verbose) {
    public static Local from(OptionValues v) {
      return new Local(
          v.nonEmpty("clickhouse-url"),
          v.nonEmpty("kafka-bootstrap"),
          v.nonEmpty("database"),
          v.path("data-dir"),
          v.flag("verbose"));
    }
  }

  /**
   * {@code bin/kpi produce --input PATH}.
   *
   * @param kafkaProperties extra client properties ({@code --kafka-property}), e.g. security
   */
  public record Produce(
      String kafkaBootstrap, Map<String, String> kafkaProperties, Path input, boolean verbose) {
    public Produce {
      kafkaProperties = Map.copyOf(kafkaProperties);
    }

    public static Produce from(OptionValues v) {
      return new Produce(
          v.nonEmpty("kafka-bootstrap"),
          v.entries("kafka-property"),
          Path.of(v.required("input")),
          v.flag("verbose"));
    }
  }

  /**
   * {@code bin/kpi init-db}.
   *
   * @param cluster the ClickHouse cluster of a sharded layout, or {@code null} for one server
   */
  public record InitDb(
      ClickHouseEndpoint clickhouse, String cluster, boolean replicated, boolean verbose) {
    public static InitDb from(OptionValues v) {
      String cluster = v.text("cluster");
      if (cluster != null && !cluster.matches("[A-Za-z0-9_.-]+")) {
        throw v.invalid("cluster", "must be a cluster name of remote_servers ([A-Za-z0-9_.-]+)");
      }
      if (cluster == null && v.flag("replicated")) {
        throw new OptionException("--replicated goes with --cluster NAME");
      }
      return new InitDb(KpiOptions.clickhouse(v), cluster, v.flag("replicated"), v.flag("verbose"));
    }
  }
}
