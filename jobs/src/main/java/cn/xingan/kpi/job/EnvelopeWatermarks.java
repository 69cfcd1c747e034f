package cn.xingan.kpi.job;

import cn.xingan.kpi.events.Envelope;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Bounded out-of-orderness watermarks (as Flink's {@code BoundedOutOfOrdernessWatermarks}) that
 * only decoded events move: a rejected record — malformed, or stamped too far in the future — must
 * not push the watermark ahead of everyone else.
 */
public final class EnvelopeWatermarks implements WatermarkGenerator<Envelope> {
  private final long boundMillis;
  private long maxTimestamp;

  public EnvelopeWatermarks(Duration outOfOrderness) {
    this.boundMillis = outOfOrderness.toMillis();
    this.maxTimestamp = Long.MIN_VALUE + boundMillis + 1;
  }

  /** The strategy for a source of envelopes: event time of decoded events, and idleness. */
  public static WatermarkStrategy<Envelope> strategy(Duration outOfOrderness, Duration idleness) {
    SerializableTimestampAssigner<Envelope> assigner =
        (e, recordTimestamp) -> e.isRejected() ? recordTimestamp : e.eventTime();
    return WatermarkStrategy.<Envelope>forGenerator(ctx -> new EnvelopeWatermarks(outOfOrderness))
        .withTimestampAssigner(assigner)
        .withIdleness(idleness);
  }

  @Override
  public void onEvent(Envelope event, long eventTimestamp, WatermarkOutput output) {
    if (!event.isRejected()) {
      maxTimestamp = Math.max(maxTimestamp, event.eventTime());
    }
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    output.emitWatermark(new Watermark(maxTimestamp - boundMillis - 1));
  }
}
