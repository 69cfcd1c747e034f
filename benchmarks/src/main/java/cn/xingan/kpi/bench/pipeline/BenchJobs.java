package cn.xingan.kpi.bench.pipeline;

import cn.xingan.kpi.app.FlinkSettings;
import cn.xingan.kpi.app.Pipelines;
import cn.xingan.kpi.config.EngineOptions;
import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.job.KpiJob;
import cn.xingan.kpi.job.KpiSinks;
import cn.xingan.kpi.local.LocalMetrics;
import cn.xingan.kpi.metrics.KpiMetrics;
import cn.xingan.kpi.sink.ClickHouseSinks;
import cn.xingan.kpi.sink.SchemaInstaller;
import cn.xingan.kpi.source.FileSources;
import cn.xingan.kpi.source.KafkaSources;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The jobs the benchmark times, each reading what the topics (or a file) hold and ending there: the
 * same Kafka sources, {@link KpiJob} and sinks as {@code bin/kpi run} and {@code backfill}, with
 * parts left out to see what each costs. Each run uses its own consumer group, so each reads every
 * record.
 */
final class BenchJobs {
  private BenchJobs() {}

  /** B: the records' bytes from Kafka, nothing else (no decode, no state). */
  static double raw(KpiOptions o, EngineOptions engine, String group) throws Exception {
    StreamExecutionEnvironment env = streaming(engine);
    KafkaSource<byte[]> source =
        KafkaSource.<byte[]>builder()
            .setBootstrapServers(o.kafkaBootstrap())
            .setTopics(topics(List.of(EventStream.values())))
            .setGroupId(group)
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setBounded(OffsetsInitializer.latest())
            .setDeserializer(
                KafkaRecordDeserializationSchema.valueOnly(ByteArrayDeserializer.class))
            .build();
    env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka raw")
        .uid("raw")
        .sinkTo(new DiscardingSink<>())
        .name("discard bytes");
    return time(env, "bench raw");
  }

  /** Decode + validate: the job's Kafka sources (typed records, watermarks), then dropped. */
  static double decoded(KpiOptions o, EngineOptions engine) throws Exception {
    StreamExecutionEnvironment env = streaming(engine);
    Map<EventStream, DataStream<Envelope>> inputs =
        new KafkaSources(o, List.of(EventStream.values()), true).open(env);
    inputs.forEach(
        (stream, in) -> in.sinkTo(new DiscardingSink<>()).name("discard " + stream.topic()));
    return time(env, "bench decoded");
  }

  /**
   * The streaming job over what the topics hold: rolling rows every emit interval while it reads,
   * every period final at the end.
   *
   * @param toClickHouse ClickHouse sinks (the schema created first), else results dropped
   */
  static double pipeline(
      KpiOptions o, EngineOptions engine, List<EventStream> streams, boolean toClickHouse)
      throws Exception {
    StreamExecutionEnvironment env = streaming(engine);
    KpiSinks sinks;
    if (toClickHouse) {
      SchemaInstaller.install(o.clickhouse());
      sinks = new ClickHouseSinks(o, false);
    } else {
      sinks = new DiscardSinks();
    }
    new KpiJob(new KafkaSources(o, streams, true), sinks, o, false).build(env);
    return time(env, "bench pipeline");
  }

  /**
   * A run's wall time (submission to end, as every figure), and how long the job took to read the
   * middle 80% of its {@code events} (from 10% to 90%, by the {@code eventsIn} counter polled every
   * {@link #POLL}): its steady rate, without the start (deploying the tasks, the readers' first
   * fetches) and the end (the final rows), which cost about the same at any parallelism.
   */
  record Run(double seconds, double steadySeconds, long events) {
    double steadyPerSecond() {
      return 0.8 * events / steadySeconds;
    }
  }

  static final Duration POLL = Duration.ofMillis(50);

  /** {@link #pipeline}, results dropped, with its steady rate. */
  static Run pipelineRun(KpiOptions o, EngineOptions engine, long events) throws Exception {
    StreamExecutionEnvironment env = streaming(engine);
    new KpiJob(new KafkaSources(o, Pipelines.STREAMS, true), new DiscardSinks(), o, false)
        .build(env);
    long t0 = System.nanoTime();
    JobClient job = env.executeAsync("bench pipeline");
    CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
    long at10 = 0;
    long at90 = 0;
    while (!result.isDone()) {
      Thread.sleep(POLL.toMillis());
      long read = LocalMetrics.counterSum(job.getJobID(), KpiMetrics.EVENTS_IN);
      long now = System.nanoTime();
      if (at10 == 0 && read >= 0.1 * events) {
        at10 = now;
      }
      if (at90 == 0 && read >= 0.9 * events) {
        at90 = now;
      }
    }
    result.get(); // throws if the job failed
    long end = System.nanoTime();
    if (at10 == 0 || at90 == 0 || at90 == at10) {
      throw new IllegalStateException(
          "the job read its input too fast to see a steady rate every " + POLL);
    }
    return new Run((end - t0) / 1e9, (at90 - at10) / 1e9, events);
  }

  /** {@code bin/kpi backfill} of a file into ClickHouse (BATCH mode), as the command runs it. */
  static double backfill(KpiOptions o, EngineOptions engine, Path file) throws Exception {
    SchemaInstaller.install(o.clickhouse());
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            LocalMetrics.addTo(FlinkSettings.batch(engine)));
    new KpiJob(new FileSources(file, o), new ClickHouseSinks(o, false), o, true).build(env);
    return time(env, "bench backfill");
  }

  static StreamExecutionEnvironment streaming(EngineOptions engine) {
    return StreamExecutionEnvironment.getExecutionEnvironment(
        LocalMetrics.addTo(FlinkSettings.streaming(engine)));
  }

  static List<String> topics(List<EventStream> streams) {
    return streams.stream().map(EventStream::topic).toList();
  }

  /**
   * Runs the job; its wall seconds. Also prints the CPU seconds this JVM spent meanwhile (every
   * thread: the job's, the collector's, the idle broker's), steadier than wall time from run to run
   * on a shared machine, so two builds can be compared by it.
   */
  private static double time(StreamExecutionEnvironment env, String name) throws Exception {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    env.execute(name);
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "    %s: %.1f s of CPU in %.1f s%n", name, (os.getProcessCpuTime() - cpu0) / 1e9, seconds);
    return seconds;
  }
}
