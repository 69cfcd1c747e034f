package cn.xingan.kpi.job;

import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.config.OptionsParser;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.sink.ClickHouseSinks;
import cn.xingan.kpi.source.FileSources;
import cn.xingan.kpi.source.KafkaSources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of the job jar ({@code flink run … kpi-jobs-…-flink.jar [options]}): the streaming
 * jobs against Kafka and ClickHouse, or with {@code --input PATH} a bounded backfill of JSON Lines
 * files. It parses the options, wires the real sources and sinks, and runs.
 */
public final class KpiJobMain {
  /** The streams this version processes. */
  public static final List<EventStream> STREAMS =
      List.of(
          EventStream.PROJECT_PROGRESS,
          EventStream.SERVICE_TRANSACTIONS,
          EventStream.MARKET_STALL_COUNTS);

  private KpiJobMain() {}

  public static void main(String[] args) throws Exception {
    OptionsParser.Parsed parsed = OptionsParser.parse(args);
    if (parsed.extra().containsKey("help")) {
      System.out.println(
          "Usage: flink run kpi-jobs-flink.jar [--input PATH] [options]\n"
              + "Streams Kafka into ClickHouse KPIs; with --input, backfills JSON Lines files and"
              + " exits.\n"
              + OptionsParser.help());
      return;
    }
    for (String name : parsed.extra().keySet()) {
      if (!name.equals("input")) {
        throw new IllegalArgumentException(
            "unknown option --" + name + "; see --help for the options");
      }
    }
    KpiOptions options = parsed.options();
    String input = parsed.extra().get("input");
    if (input != null) {
      backfill(
          StreamExecutionEnvironment.getExecutionEnvironment(flinkConfig(options, true)),
          options,
          Path.of(input),
          parsed.given().contains("kafka-bootstrap"));
    } else {
      stream(
          StreamExecutionEnvironment.getExecutionEnvironment(flinkConfig(options, false)), options);
    }
  }

  /** The streaming jobs: Kafka topics in, ClickHouse out, until cancelled. */
  public static JobExecutionResult stream(StreamExecutionEnvironment env, KpiOptions options)
      throws Exception {
    cn.xingan.kpi.sink.SchemaGate.ensure(options.clickhouse());
    new KpiJob(
            new KafkaSources(options, STREAMS, false),
            new ClickHouseSinks(options, true),
            options,
            false)
        .build(env);
    return env.execute("xingan-kpi streaming");
  }

  /** A bounded run over JSON Lines files; every period ends final. */
  public static JobExecutionResult backfill(
      StreamExecutionEnvironment env, KpiOptions options, Path input) throws Exception {
    return backfill(env, options, input, false);
  }

  /**
   * @param toKafka also publish rejections and alert versions to Kafka (when the user gave a {@code
   *     --kafka-bootstrap}); a backfill needs no Kafka otherwise
   */
  public static JobExecutionResult backfill(
      StreamExecutionEnvironment env, KpiOptions options, Path input, boolean toKafka)
      throws Exception {
    cn.xingan.kpi.sink.SchemaGate.ensure(options.clickhouse());
    new KpiJob(
            new FileSources(input, options), new ClickHouseSinks(options, toKafka), options, true)
        .build(env);
    return env.execute("xingan-kpi backfill " + input.getFileName());
  }

  /**
   * Flink settings the options decide: BATCH mode for backfill; for streaming, checkpoints (Kafka
   * offsets are committed on them), the state backend, and a restart strategy with backoff. Object
   * reuse is on: every record type is immutable and functions keep no input references, and it
   * saves a deep copy of each record between chained operators.
   */
  public static Configuration flinkConfig(KpiOptions options, boolean batch) {
    Configuration conf = new Configuration();
    conf.set(PipelineOptions.OBJECT_REUSE, true);
    if (batch) {
      conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
      return conf;
    }
    conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, options.checkpointInterval());
    conf.set(StateBackendOptions.STATE_BACKEND, options.stateBackend());
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
        Duration.ofSeconds(1));
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
        Duration.ofMinutes(1));
    return conf;
  }
}
