package cn.xingan.kpi.kpi;

import cn.xingan.kpi.periods.CalendarDays;
import cn.xingan.kpi.periods.CalendarPeriods;
import cn.xingan.kpi.periods.Finality;
import cn.xingan.kpi.periods.Period;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps one accumulator per open calendar period of every kind for a {@link ScopeKey}, re-emits
 * changed rows at most every {@code emitInterval} (processing time) and emits the final row once
 * the watermark passes the period's end plus the allowed lateness, then forgets the period.
 *
 * <p>Why not five window operators: an event would be keyed and shuffled once per period kind, and
 * rolling plus final emission would need a custom trigger on each. Here one keyed state holds all
 * kinds, an event-time timer per period end cleans up, and one processing-time timer per key paces
 * the rolling rows (shape after Flink's {@code ContinuousEventTimeTrigger}).
 *
 * <p>Its input is normally {@link DaySlice}s from {@link PreAggregate}: the figures of one scope
 * key and local day, merged here into each period containing the day, so the keyed state is touched
 * once per slice and period instead of once per event, scope and period.
 *
 * <p>In a bounded run ({@code emitInterval == null}) no rolling rows are emitted: the end of input
 * moves the watermark to the end of time and every period's final row is emitted once.
 */
public abstract class RollingPeriodFunction<IN, ACC extends PeriodAccumulator, OUT>
    extends KeyedProcessFunction<ScopeKey, IN, OUT> {
  private static final long serialVersionUID = 1L;

  private final Finality finality;
  private final Long emitIntervalMillis;
  private final TypeInformation<ACC> accumulatorType;
  private final String table;

  private transient CalendarDays days;
  private transient MapState<String, ACC> periods;
  private transient ValueState<Long> rollingTimer;
  private transient RowGuard<OUT> guard;

  /**
   * @param table the result table, for the error and metric of a row it would refuse
   */
  protected RollingPeriodFunction(
      String table,
      CalendarPeriods calendar,
      Duration allowedLateness,
      Duration emitInterval,
      TypeInformation<ACC> accumulatorType) {
    this.table = table;
    this.finality = new Finality(calendar, allowedLateness);
    this.emitIntervalMillis = emitInterval == null ? null : emitInterval.toMillis();
    this.accumulatorType = accumulatorType;
  }

  protected abstract long eventTime(IN event);

  /** How many input events the element stands for: 1 for an event, more for a {@link DaySlice}. */
  protected long eventCount(IN element) {
    return 1;
  }

  /** The event's id, to name it when a row it changed is invalid. */
  protected abstract String eventId(IN event);

  /** The row's columns that ClickHouse would refuse (see {@link RowGuard}). */
  protected abstract List<String> problems(OUT row);

  protected abstract ACC createAccumulator();

  protected abstract void add(ACC accumulator, IN event);

  protected abstract OUT row(
      ScopeKey key, Period period, ACC accumulator, boolean isFinal, long updatedAtMillis);

  @Override
  public void open(OpenContext openContext) {
    days = new CalendarDays(finality);
    periods =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("open-periods", Types.STRING, accumulatorType));
    rollingTimer =
        getRuntimeContext().getState(new ValueStateDescriptor<>("rolling-timer", Types.LONG));
    guard = new RowGuard<>(table, this::problems, getRuntimeContext());
  }

  @Override
  public void processElement(IN event, Context ctx, Collector<OUT> out) throws Exception {
    for (Period period : days.of(eventTime(event)).periods()) {
      String id = period.id();
      ACC acc = periods.get(id);
      if (acc == null) {
        acc = createAccumulator();
        ctx.timerService().registerEventTimeTimer(finality.finalAt(period));
      }
      add(acc, event);
      acc.events += eventCount(event);
      acc.lastEvent = eventId(event);
      periods.put(id, acc);
    }
    if (emitIntervalMillis != null && rollingTimer.value() == null) {
      long now = ctx.timerService().currentProcessingTime();
      long next = (now / emitIntervalMillis + 1) * emitIntervalMillis;
      ctx.timerService().registerProcessingTimeTimer(next);
      rollingTimer.update(next);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<OUT> out) throws Exception {
    long now = ctx.timerService().currentProcessingTime();
    if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
      rollingTimer.clear();
      emitChanged(ctx.getCurrentKey(), now, out);
    } else {
      emitFinal(ctx.getCurrentKey(), timestamp, now, ctx, out);
    }
  }

  private void emitChanged(ScopeKey key, long now, Collector<OUT> out) throws Exception {
    List<Map.Entry<String, ACC>> changed = new ArrayList<>();
    for (Map.Entry<String, ACC> e : periods.entries()) {
      if (e.getValue().changedSinceEmit()) {
        changed.add(e);
      }
    }
    for (Map.Entry<String, ACC> e : changed) {
      ACC acc = e.getValue();
      emit(row(key, Period.fromId(e.getKey()), acc, false, now), acc, out);
      acc.emittedEvents = acc.events;
      periods.put(e.getKey(), acc);
    }
  }

  private void emitFinal(
      ScopeKey key, long watermark, long now, OnTimerContext ctx, Collector<OUT> out)
      throws Exception {
    Iterator<Map.Entry<String, ACC>> it = periods.iterator();
    while (it.hasNext()) {
      Map.Entry<String, ACC> e = it.next();
      Period period = Period.fromId(e.getKey());
      if (finality.isFinal(period, watermark)) {
        emit(row(key, period, e.getValue(), true, now), e.getValue(), out);
        it.remove();
      }
    }
    if (periods.isEmpty()) {
      periods.clear(); // an empty map is still an entry in heap state
      Long pending = rollingTimer.value();
      if (pending != null) {
        ctx.timerService().deleteProcessingTimeTimer(pending);
        rollingTimer.clear();
      }
    }
  }

  private void emit(OUT row, ACC acc, Collector<OUT> out) {
    if (guard.admits(row, "event " + acc.lastEvent + " (the last that changed it)")) {
      out.collect(row);
    }
  }
}
