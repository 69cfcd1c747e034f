package cn.xingan.kpi.job;

import cn.xingan.kpi.events.Envelope;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.util.clock.RelativeClock;

/**
 * Bounded out-of-orderness watermarks (as Flink's {@code BoundedOutOfOrdernessWatermarks}) that
 * only decoded events move: a rejected record — malformed, or stamped too far in the future — must
 * not push the watermark ahead of everyone else. Idleness (as Flink's {@code
 * WatermarksWithIdleness}) is also counted in decoded events only: a partition that carries nothing
 * but rejected records for the idleness time is idle, instead of holding every period open.
 */
public final class EnvelopeWatermarks implements WatermarkGenerator<Envelope> {
  private final long boundMillis;
  private final long idleNanos;
  private final LongSupplier nanoClock;
  private long maxTimestamp;
  private long lastDecodedNanos;

  /** Never idle; for tests of the bound alone. */
  public EnvelopeWatermarks(Duration outOfOrderness) {
    this(outOfOrderness, null, System::nanoTime);
  }

  /**
   * @param idleness no decoded event for this long marks the output idle; null: never
   * @param nanoClock monotonic nanoseconds of input activity
   */
  public EnvelopeWatermarks(Duration outOfOrderness, Duration idleness, LongSupplier nanoClock) {
    this.boundMillis = outOfOrderness.toMillis();
    this.idleNanos = idleness == null ? Long.MAX_VALUE : idleness.toNanos();
    this.nanoClock = nanoClock;
    this.maxTimestamp = Long.MIN_VALUE + boundMillis + 1;
    this.lastDecodedNanos = nanoClock.getAsLong();
  }

  /** The strategy for a source of envelopes: event time of decoded events, and idleness. */
  public static WatermarkStrategy<Envelope> strategy(Duration outOfOrderness, Duration idleness) {
    SerializableTimestampAssigner<Envelope> assigner =
        (e, recordTimestamp) -> e.isRejected() ? recordTimestamp : e.eventTime();
    return WatermarkStrategy.<Envelope>forGenerator(
            // The input activity clock stops while the source is paused (backpressure, e.g. a
            // ClickHouse outage), so waiting is not mistaken for idleness, as in Flink's own.
            ctx -> {
              RelativeClock clock = ctx.getInputActivityClock();
              return new EnvelopeWatermarks(outOfOrderness, idleness, clock::relativeTimeNanos);
            })
        .withTimestampAssigner(assigner);
  }

  @Override
  public void onEvent(Envelope event, long eventTimestamp, WatermarkOutput output) {
    if (!event.isRejected()) {
      maxTimestamp = Math.max(maxTimestamp, event.eventTime());
      lastDecodedNanos = nanoClock.getAsLong();
    }
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    if (nanoClock.getAsLong() - lastDecodedNanos > idleNanos) {
      output.markIdle();
    } else {
      output.emitWatermark(new Watermark(maxTimestamp - boundMillis - 1));
    }
  }
}
