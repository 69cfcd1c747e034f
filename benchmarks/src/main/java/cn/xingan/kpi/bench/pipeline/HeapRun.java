package cn.xingan.kpi.bench.pipeline;

import cn.xingan.kpi.config.EngineOptions;
import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.EventDecoder;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.events.Origin;
import cn.xingan.kpi.job.EnvelopeWatermarks;
import cn.xingan.kpi.job.KpiJob;
import cn.xingan.kpi.job.KpiSources;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * Does the job's memory grow with history? The full pipeline (heap state) over a long stream
 * generated in the job itself (no Kafka: 10M events would be GBs of log), paused after the first
 * and after the last mark of events, drained, and the heap measured after a full GC each time. The
 * job keeps only open periods, a repeat window of event ids and buffers, so at the League's steady
 * rate the two should be alike.
 */
final class HeapRun {
  record Result(long firstEvents, long firstHeap, long lastEvents, long lastHeap, double seconds) {}

  /** Marks the source pauses at (static: the job runs in this JVM), and their latches. */
  private static volatile long[] marks;

  private static volatile List<CountDownLatch> reached;
  private static volatile List<CountDownLatch> resume;

  private HeapRun() {}

  static Result run(
      KpiOptions o, EngineOptions engine, long first, long last, long seed, ZoneId zone)
      throws Exception {
    marks = new long[] {first, last};
    reached = List.of(new CountDownLatch(1), new CountDownLatch(1));
    resume = List.of(new CountDownLatch(1), new CountDownLatch(1));
    Instant end = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    Instant start = BenchData.startFor(last, end);
    long hours = Duration.between(start, end).toHours();
    StreamExecutionEnvironment env = BenchJobs.streaming(engine);
    KpiSources sources =
        e -> {
          DataStream<Envelope> generated =
              e.fromSequence(0, hours - 1)
                  .setParallelism(1)
                  .flatMap(new Generated(seed, zone, start, last, o.maxRecordBytes()))
                  .returns(TypeInformation.of(Envelope.class))
                  .setParallelism(1)
                  .name("generated events")
                  .uid("generated")
                  .assignTimestampsAndWatermarks(
                      EnvelopeWatermarks.strategy(o.outOfOrderness(), o.idleness()))
                  .setParallelism(1);
          Map<EventStream, DataStream<Envelope>> m = new HashMap<>();
          m.put(null, generated);
          return m;
        };
    new KpiJob(sources, new DiscardSinks(), o, false).build(env);
    long t0 = System.nanoTime();
    JobClient job = env.executeAsync("bench heap over " + hours + " h");
    long[] heap = new long[2];
    for (int i = 0; i < 2; i++) {
      while (!reached.get(i).await(1, TimeUnit.SECONDS)) {
        if (job.getJobStatus().get().isTerminalState()) {
          job.getJobExecutionResult().get(); // its failure
          throw new IllegalStateException("the heap run ended before " + marks[i] + " events");
        }
      }
      Thread.sleep(2_000); // what is in flight reaches the state
      heap[i] = heapAfterGc();
      resume.get(i).countDown();
    }
    job.getJobExecutionResult().get();
    return new Result(first, heap[0], last, heap[1], (System.nanoTime() - t0) / 1e9);
  }

  static long heapAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(300);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /**
   * The events of hour {@code i} from {@code start}, decoded as the Kafka sources decode them, up
   * to {@code count} in all; pauses at the marks.
   */
  private static final class Generated extends RichFlatMapFunction<Long, Envelope> {
    private final long seed;
    private final ZoneId zone;
    private final Instant start;
    private final long count;
    private final int maxRecordBytes;
    private transient EventDecoder decoder;
    private transient BenchData data;
    private transient long sent;

    Generated(long seed, ZoneId zone, Instant start, long count, int maxBytes) {
      this.seed = seed;
      this.zone = zone;
      this.start = start;
      this.count = count;
      this.maxRecordBytes = maxBytes;
    }

    @Override
    public void open(OpenContext context) {
      decoder = new EventDecoder(-1, maxRecordBytes);
      data = new BenchData(seed, zone);
    }

    @Override
    public void flatMap(Long hour, Collector<Envelope> out) throws Exception {
      if (sent >= count) {
        return;
      }
      data.hour(
          start.plus(Duration.ofHours(hour)),
          (stream, e) -> {
            if (sent >= count) {
              return;
            }
            out.collect(
                decoder.decode(
                    stream, new Origin("generated-" + stream.topic(), 0, sent, e.json()), 0));
            sent++;
            for (int i = 0; i < 2; i++) {
              if (sent == marks[i]) {
                pause(i);
              }
            }
          });
    }

    @Override
    public void close() {
      if (sent < marks[1]) { // fewer events than asked: measured at the end
        pause(1);
      }
    }

    private static void pause(int mark) {
      reached.get(mark).countDown();
      try {
        resume.get(mark).await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
