package cn.xingan.kpi.bench.pipeline;

import cn.xingan.kpi.app.Pipelines;
import cn.xingan.kpi.config.EngineOptions;
import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.job.KpiJob;
import cn.xingan.kpi.local.LocalMetrics;
import cn.xingan.kpi.metrics.KpiMetrics;
import cn.xingan.kpi.sink.ClickHouseHttp;
import cn.xingan.kpi.sink.ClickHouseSinks;
import cn.xingan.kpi.sink.SchemaInstaller;
import cn.xingan.kpi.source.KafkaSources;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Arrival to visible: the streaming job ({@code bin/kpi run}'s sources, job and ClickHouse sinks,
 * its own database, starting at the end of the topics) under live service traffic at a steady rate,
 * while a reader polls ClickHouse every {@link #POLL} for the league's week row. An event is
 * visible once the row's count of events reaches it; its latency is then minus the time it was
 * handed to Kafka. Events of the first {@code warmup} are not counted (the job's first emits). Also
 * counts the inserts per table in the measured span, from the sinks' insert histograms.
 */
final class LatencyRun {
  static final Duration POLL = Duration.ofMillis(100);

  /**
   * With {@code -Dbench.trace=true} (in {@code BENCH_JAVA_OPTS}) the run prints, every {@link
   * #TRACE_EVERY}, the events sent, read by the job and visible: which of them falls behind. (It
   * showed the visible count standing still for 30 s while the job read everything: rolling emits
   * skipped because their timers fired late.)
   */
  private static final boolean TRACE = Boolean.getBoolean("bench.trace");

  private static final Duration TRACE_EVERY = Duration.ofSeconds(2);

  record Result(
      double perSecond,
      long events,
      double p50Seconds,
      double p99Seconds,
      double maxSeconds,
      Map<String, Double> insertsPerSecond,
      int sinkSubtasks,
      String insertCounts,
      String note) {}

  private LatencyRun() {}

  static Result run(
      KpiOptions o,
      EngineOptions engine,
      double perSecond,
      Duration duration,
      Duration warmup,
      long seed,
      ZoneId zone)
      throws Exception {
    SchemaInstaller.install(o.clickhouse());
    startAtEnd(o);
    StreamExecutionEnvironment env = BenchJobs.streaming(engine);
    new KpiJob(
            new KafkaSources(o, Pipelines.STREAMS, false), new ClickHouseSinks(o, false), o, false)
        .build(env);
    JobClient job = env.executeAsync("bench latency");
    try (LiveTraffic traffic = new LiveTraffic(o.kafkaBootstrap(), seed, zone)) {
      awaitRunning(job);
      Thread.sleep(3_000); // the sources find their partitions
      ClickHouseHttp ch = new ClickHouseHttp(o.clickhouse());
      CompletableFuture<Long> sending =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return traffic.run(perSecond, duration);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return -1L;
                }
              });
      long began = System.nanoTime();
      long warmEnd = began + warmup.toNanos();
      Map<String, Long> insertsAtWarm = null;
      long warmNanos = 0;
      List<double[]> samples = new ArrayList<>(); // {latency seconds, events}
      List<LiveTraffic.Sent> pending = new ArrayList<>();
      int resolved = 0;
      long lastCount = 0;
      long finalCount = Long.MAX_VALUE;
      long sendingEnded = 0;
      Map<String, Long> insertsAtEnd = null;
      long deadline = Long.MAX_VALUE;
      long nextTrace = began;
      while (System.nanoTime() < deadline) {
        Thread.sleep(POLL.toMillis());
        if (insertsAtWarm == null && System.nanoTime() >= warmEnd) {
          insertsAtWarm = inserts(job);
          warmNanos = System.nanoTime();
        }
        if (sending.isDone() && finalCount == Long.MAX_VALUE) {
          finalCount = sending.get();
          sendingEnded = System.nanoTime();
          insertsAtEnd = inserts(job);
          deadline = sendingEnded + Duration.ofSeconds(40).toNanos();
        }
        long visible = visible(ch);
        long now = System.nanoTime();
        List<LiveTraffic.Sent> notes = traffic.sent();
        if (TRACE && now >= nextTrace) {
          nextTrace = now + TRACE_EVERY.toNanos();
          System.out.printf(
              Locale.ROOT,
              "  trace %5.1f s: sent %,d, read by the job %,d, visible %,d; checkpoints %s,"
                  + " the last %s ms, %s bytes%n",
              (now - began) / 1e9,
              notes.isEmpty() ? 0 : notes.get(notes.size() - 1).sentSoFar(),
              LocalMetrics.counterSum(job.getJobID(), KpiMetrics.EVENTS_IN),
              visible,
              LocalMetrics.gauge(job.getJobID(), "numberOfCompletedCheckpoints"),
              LocalMetrics.gauge(job.getJobID(), "lastCheckpointDuration"),
              LocalMetrics.gauge(job.getJobID(), "lastCheckpointSize"));
        }
        for (; resolved < notes.size() && notes.get(resolved).sentSoFar() <= visible; resolved++) {
          LiveTraffic.Sent s = notes.get(resolved);
          long events = s.sentSoFar() - lastCount;
          lastCount = s.sentSoFar();
          if (events > 0 && s.nanos() >= warmEnd) {
            samples.add(new double[] {(now - s.nanos()) / 1e9, events});
          }
        }
        if (visible >= finalCount) {
          break;
        }
      }
      String note =
          String.format(
              Locale.ROOT, "the sender achieved %,.0f events/s", traffic.achievedPerSecond());
      if (lastCount < finalCount) {
        note +=
            String.format(
                Locale.ROOT,
                "; only %,d of %,d events visible 40 s after the traffic stopped",
                lastCount,
                finalCount);
      }
      if (job.getJobStatus().get() != JobStatus.RUNNING) {
        throw new IllegalStateException("the latency job is " + job.getJobStatus().get());
      }
      job.cancel().get();
      // until its tasks are gone: the heap run after this one measures the same JVM
      job.getJobExecutionResult().exceptionally(cancelled -> null).get();
      double measured = (sendingEnded - warmNanos) / 1e9;
      Map<String, Double> perTable = new HashMap<>();
      if (insertsAtWarm != null && insertsAtEnd != null) {
        for (Map.Entry<String, Long> e : insertsAtEnd.entrySet()) {
          perTable.put(
              e.getKey(), (e.getValue() - insertsAtWarm.getOrDefault(e.getKey(), 0L)) / measured);
        }
      }
      samples.sort((a, b) -> Double.compare(a[0], b[0]));
      return new Result(
          perSecond,
          finalCount,
          quantile(samples, 0.50),
          quantile(samples, 0.99),
          samples.isEmpty() ? Double.NaN : samples.get(samples.size() - 1)[0],
          perTable,
          engine.parallelism(),
          insertsAtWarm + " after the warm-up, " + insertsAtEnd + " at the end",
          note);
    }
  }

  /** The consumer group's offsets set to the topics' ends: the job reads only the live traffic. */
  private static void startAtEnd(KpiOptions o) throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, o.kafkaBootstrap());
    try (Admin admin = Admin.create(p)) {
      Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
      admin
          .describeTopics(BenchJobs.topics(Pipelines.STREAMS))
          .allTopicNames()
          .get()
          .forEach(
              (topic, d) ->
                  d.partitions()
                      .forEach(
                          part ->
                              ends.put(
                                  new TopicPartition(topic, part.partition()),
                                  OffsetSpec.latest())));
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      admin
          .listOffsets(ends)
          .all()
          .get()
          .forEach((tp, info) -> offsets.put(tp, new OffsetAndMetadata(info.offset())));
      admin.alterConsumerGroupOffsets(o.kafkaGroupId(), offsets).all().get();
    }
  }

  private static void awaitRunning(JobClient job) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (job.getJobStatus().get() != JobStatus.RUNNING) {
      if (System.nanoTime() > until || job.getJobStatus().get().isTerminalState()) {
        throw new IllegalStateException("the latency job is " + job.getJobStatus().get());
      }
      Thread.sleep(100);
    }
  }

  /** Events counted in the league's week rows (every status), summed over the weeks. */
  private static long visible(ClickHouseHttp ch) {
    String v =
        ch.query(
                "SELECT sum(m) FROM (SELECT period_start, max(accepted + completed + rejected) AS m"
                    + " FROM kpi_service WHERE scope = 'league' AND period = 'week'"
                    + " GROUP BY period_start) FORMAT TSV")
            .trim();
    return v.isEmpty() ? 0 : Long.parseLong(v);
  }

  private static Map<String, Long> inserts(JobClient job) {
    return LocalMetrics.histogramCountsBy(
        job.getJobID(), KpiMetrics.INSERT_LATENCY_MS, KpiMetrics.TABLE);
  }

  /** The latency below which {@code q} of the events were visible. */
  private static double quantile(List<double[]> sorted, double q) {
    double total = sorted.stream().mapToDouble(s -> s[1]).sum();
    double seen = 0;
    for (double[] s : sorted) {
      seen += s[1];
      if (seen >= q * total) {
        return s[0];
      }
    }
    return Double.NaN;
  }
}
