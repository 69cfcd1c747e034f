package cn.xingan.kpi.job;

import cn.xingan.kpi.metrics.KpiMetrics;
import cn.xingan.kpi.periods.CalendarDays;
import cn.xingan.kpi.periods.CalendarPeriods;
import cn.xingan.kpi.periods.Finality;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Drops repeats of an {@code event_id} (producers retry; the contract counts an event once) and
 * counts them in the metric {@code duplicates}. Keyed by event id, it remembers an id only as long
 * as a repeat could still count: until the watermark passes the end of the event's earliest period
 * plus the allowed lateness (after that {@link AdmitEvents} rejects the repeat as late), plus a
 * margin for the watermark of this operator trailing the admitting one. State is thus bounded by
 * the events of about one period plus the lateness.
 */
public final class DropDuplicates<E> extends KeyedProcessFunction<String, E, E> {
  private static final long serialVersionUID = 1L;
  static final Duration MARGIN = Duration.ofHours(1);

  private final Finality finality;
  private final SerializableFunction<E, Long> eventTime;
  private transient CalendarDays days;
  private transient ValueState<Boolean> seen;
  private transient Counter duplicates;

  private final String stream;

  /**
   * @param stream the stream's topic, the {@code stream} label of the {@code duplicates} metric
   */
  public DropDuplicates(
      CalendarPeriods calendar,
      Duration allowedLateness,
      SerializableFunction<E, Long> eventTime,
      String stream) {
    this.stream = stream;
    this.finality = new Finality(calendar, allowedLateness);
    this.eventTime = eventTime;
  }

  @Override
  public void open(OpenContext openContext) {
    days = new CalendarDays(finality);
    seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.BOOLEAN));
    duplicates =
        KpiMetrics.stream(getRuntimeContext().getMetricGroup(), stream)
            .counter(KpiMetrics.DUPLICATES);
  }

  @Override
  public void processElement(E event, Context ctx, Collector<E> out) throws Exception {
    if (seen.value() != null) {
      duplicates.inc();
      return;
    }
    seen.update(true);
    long lateFrom = days.of(eventTime.apply(event)).earliestFinalAt();
    ctx.timerService().registerEventTimeTimer(Finality.plus(lateFrom, MARGIN.toMillis()));
    out.collect(event);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<E> out) {
    seen.clear();
  }
}
