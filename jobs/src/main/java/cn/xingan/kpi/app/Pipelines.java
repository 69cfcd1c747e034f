package cn.xingan.kpi.app;

import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.job.KpiJob;
import cn.xingan.kpi.sink.ClickHouseSinks;
import cn.xingan.kpi.sink.SchemaGate;
import cn.xingan.kpi.source.FileSources;
import cn.xingan.kpi.source.KafkaSources;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The one place that plugs the real sources and sinks into {@link KpiJob}, for every entry that
 * runs it for real: {@code bin/kpi run}, {@code backfill} and {@code quickstart}, the jar under
 * {@code flink run}, and the ITCases that test those paths. The pipeline packages never import this
 * one; tests of the pipeline itself plug their own sources and sinks into {@code KpiJob}.
 */
public final class Pipelines {
  /** The streams this version processes. */
  public static final List<EventStream> STREAMS =
      List.of(
          EventStream.PROJECT_PROGRESS,
          EventStream.SERVICE_TRANSACTIONS,
          EventStream.MARKET_STALL_COUNTS);

  private Pipelines() {}

  /**
   * The streaming jobs on {@code env}: the stream topics in, ClickHouse out, rejections and alert
   * versions also to Kafka. Creates the schema when it is missing.
   */
  public static void streaming(StreamExecutionEnvironment env, KpiOptions options) {
    SchemaGate.ensure(options.clickhouse());
    new KpiJob(
            new KafkaSources(options, STREAMS, false),
            new ClickHouseSinks(options, true),
            options,
            false)
        .build(env);
  }

  /**
   * A bounded run over JSON Lines files on {@code env} (which must be in BATCH mode); every period
   * ends final. Creates the schema when it is missing.
   *
   * @param toKafka also publish rejections and alert versions to Kafka (when the user gave a {@code
   *     --kafka-bootstrap}); a backfill needs no Kafka otherwise
   */
  public static void backfill(
      StreamExecutionEnvironment env, KpiOptions options, Path input, boolean toKafka) {
    SchemaGate.ensure(options.clickhouse());
    new KpiJob(
            new FileSources(input, options), new ClickHouseSinks(options, toKafka), options, true)
        .build(env);
  }
}
