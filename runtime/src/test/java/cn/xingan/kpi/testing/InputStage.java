// Faults are injected where records enter the job — a map right after each Kafka source, chained
// to it — so the job's production code needs no test hooks: KpiJob takes its sources from outside.
package cn.xingan.kpi.testing;

import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.job.KpiSources;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Sources with a map after each input, named and with a stable uid (so a savepoint of a staged job
 * restores into the same staged job). The map is chained to its source: a decoded envelope keeps
 * its origin only within that chain.
 */
final class InputStage implements KpiSources {
  private final KpiSources inner;
  private final Function<EventStream, MapFunction<Envelope, Envelope>> stage;

  InputStage(KpiSources inner, Function<EventStream, MapFunction<Envelope, Envelope>> stage) {
    this.inner = inner;
    this.stage = stage;
  }

  @Override
  public Map<EventStream, DataStream<Envelope>> open(StreamExecutionEnvironment env) {
    Map<EventStream, DataStream<Envelope>> staged = new LinkedHashMap<>();
    inner
        .open(env)
        .forEach(
            (stream, input) -> {
              String name = stream == null ? "all-streams" : stream.topic();
              staged.put(
                  stream,
                  input
                      .map(stage.apply(stream))
                      .returns(Envelope.class)
                      .name("test stage " + name)
                      .uid("test-stage-" + name));
            });
    return staged;
  }

  /**
   * Passes records through unchanged, sleeping {@code millis} after each: a slow source. Counts the
   * records passed in this JVM, so a test can tell how far a run got when it injected a fault.
   */
  static final class Throttle implements MapFunction<Envelope, Envelope> {
    private static final long serialVersionUID = 1L;
    private static final AtomicLong PASSED = new AtomicLong();
    private final long millis;

    /** Records passed by all throttles since the last {@link #reset()}. */
    static long passed() {
      return PASSED.get();
    }

    static void reset() {
      PASSED.set(0);
    }

    Throttle(long millis) {
      this.millis = millis;
    }

    @Override
    public Envelope map(Envelope e) throws InterruptedException {
      if (millis > 0) {
        Thread.sleep(millis);
      }
      PASSED.incrementAndGet();
      return e;
    }
  }
}
