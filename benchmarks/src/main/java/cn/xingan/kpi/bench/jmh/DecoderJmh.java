package cn.xingan.kpi.bench.jmh;

import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.EventDecoder;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.events.Origin;
import cn.xingan.kpi.local.generate.GeneratedEvent;
import cn.xingan.kpi.local.generate.ServiceTransactionGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the job's decoder (strict UTF-8, parse, contract rules, typed record) costs over the parse
 * alone: {@link EventDecoder#decode} against a bare Jackson {@code readTree} of the same generated
 * service events, in events per second. The hand-timed {@code DecoderBenchmark} says the same thing
 * without JMH's forks, warm-up and error bars; this one is what {@link JmhSuite} reports.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(java.util.concurrent.TimeUnit.SECONDS)
public class DecoderJmh {
  /** Events per invocation: each op is one event. */
  static final int BATCH = 8192;

  private byte[][] records;
  private EventDecoder decoder;
  private ObjectMapper mapper;

  /**
   * A week of generated service events (every hour of the day, all services and channels), thinned
   * to {@link #BATCH}; fails if the decoder rejects any, since the benchmark would then time the
   * rejection path.
   */
  @Setup
  public void setUp() {
    List<GeneratedEvent> week =
        new ServiceTransactionGenerator(7, ZoneId.of("Asia/Shanghai"))
            .between(
                Instant.parse("2026-06-01T00:00:00Z"), Instant.parse("2026-06-08T00:00:00Z"), 60);
    if (week.size() < BATCH) {
      throw new IllegalStateException(
          "generated " + week.size() + " service events, expected at least " + BATCH);
    }
    records = new byte[BATCH][];
    for (int i = 0; i < BATCH; i++) {
      records[i] = week.get((int) ((long) i * week.size() / BATCH)).json();
    }
    decoder = new EventDecoder(-1, 1 << 20);
    mapper = new ObjectMapper();
    for (byte[] r : records) {
      Envelope e = decoder.decode(EventStream.SERVICE_TRANSACTIONS, origin(r), 0);
      if (e.isRejected()) {
        throw new IllegalStateException(
            "the decoder rejected a generated event: "
                + e.rejection()
                + " "
                + new String(r, StandardCharsets.UTF_8));
      }
    }
  }

  private static Origin origin(byte[] record) {
    return new Origin("bench", 0, 0, record);
  }

  /** The job's decoder, with the {@link Origin} the source builds per record. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void decoder(Blackhole bh) {
    for (byte[] r : records) {
      bh.consume(decoder.decode(EventStream.SERVICE_TRANSACTIONS, origin(r), 0));
    }
  }

  /** The floor: Jackson's tree parse of the same bytes, no checks, no typed record. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void jacksonReadTree(Blackhole bh) throws IOException {
    for (byte[] r : records) {
      bh.consume(mapper.readTree(r));
    }
  }
}
