package cn.xingan.kpi.kpi;

import cn.xingan.kpi.periods.CalendarDays;
import cn.xingan.kpi.periods.CalendarPeriods;
import cn.xingan.kpi.periods.Finality;
import cn.xingan.kpi.periods.Period;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * <p>A period that opens between two rolling emits (the current week, reached by a replay of
 * history) gets its first row on the next whole second, from a second processing-time timer,
 * instead of waiting up to an emit interval; no row is ever updated sooner than an emit interval
 * after its previous version, so the rolling emit that follows leaves such a row for the next one.
 *
 * <p>Its input is normally {@link DaySlice}s from {@link PreAggregate}: the figures of one scope
 * key and local day, merged here into each period containing the day, so the keyed state is touched
 * once per slice and period instead of once per event, scope and period.
 *
 * <p><b>Extension points.</b> This class owns the state of the periods, the timers and when rows go
 * out; a subclass says what an input does to a period and what its row is, as Flink's window
 * operators leave the contents of a window to a window function (or, in the slicing operators, to a
 * window processor). Beyond that, a subclass may keep a final period for a while ({@link
 * #keptUntil}, as Flink keeps a window until its cleanup time for late firings): an input that
 * reaches it meanwhile gives a new final row, and a period may be opened already final. It may
 * refuse to open a period ({@link #opens}), and version its row by something outside the
 * accumulator ({@link #changes}), such as other keyed state it keeps beside the periods.
 *
 * <p>In a bounded run ({@code emitInterval == null}) no rolling rows are emitted: the end of input
 * moves the watermark to the end of time and every period's final row is emitted once.
 */
public abstract class RollingPeriodFunction<IN, ACC extends PeriodAccumulator, OUT>
    extends KeyedProcessFunction<ScopeKey, IN, OUT> {
  private static final long serialVersionUID = 1L;

  private final Finality finality;
  private final Long emitIntervalMillis;

  /** The granularity of a key's first rolling emit (see {@link #nextRollingEmit}). */
  static final Duration FIRST_EMIT = Duration.ofSeconds(1);

  private final TypeInformation<ACC> accumulatorType;
  private final String table;

  private transient CalendarDays days;
  private transient MapState<String, ACC> periods;

  /**
   * The periods of the ids this subtask has held, with their instants (see {@link Known}): a few
   * hundred a year, whatever the number of keys.
   */
  private transient Map<String, Known> known;

  /** The key's latest rolling emit: pending while in the future, done once passed. */
  private transient ValueState<Long> rollingTimer;

  /** A pending emit of the first rows of newly opened periods (see {@link #emitFirstRows}). */
  private transient ValueState<Long> firstRowsTimer;

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

  /** The period's row now; it may read keyed state of the current key. */
  protected abstract OUT row(
      ScopeKey key, Period period, ACC accumulator, boolean isFinal, long updatedAtMillis)
      throws Exception;

  /**
   * Whether the input opens a period it has no accumulator for (yet, or any more). By default every
   * input does: upstream admits no input into a period already final.
   */
  protected boolean opens(IN input, Period period, long watermark) {
    return true;
  }

  /**
   * The event time until which a final period is kept after its final row, for inputs that may
   * still change it; each change gives a new final row. By default none: a period is forgotten with
   * its final row. It must depend on the period alone: it is worked out once per period.
   */
  protected long keptUntil(Period period) {
    return Long.MIN_VALUE;
  }

  /**
   * What the period's row reflects (its version is twice this, plus one once final): the row is
   * re-emitted when this moved since it was last emitted. By default the events added to it.
   */
  protected long changes(Period period, ACC accumulator) throws Exception {
    return accumulator.events;
  }

  protected final Finality finality() {
    return finality;
  }

  /** Whether rolling rows are emitted: {@code false} in a bounded run. */
  protected final boolean rolling() {
    return emitIntervalMillis != null;
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    days = new CalendarDays(finality);
    known = new HashMap<>();
    periods =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("open-periods", Types.STRING, accumulatorType));
    rollingTimer =
        getRuntimeContext().getState(new ValueStateDescriptor<>("rolling-timer", Types.LONG));
    firstRowsTimer =
        getRuntimeContext().getState(new ValueStateDescriptor<>("first-rows-timer", Types.LONG));
    guard = new RowGuard<>(table, this::problems, getRuntimeContext());
  }

  @Override
  public void processElement(IN event, Context ctx, Collector<OUT> out) throws Exception {
    long watermark = ctx.timerService().currentWatermark();
    boolean opened = false;
    for (Period period : days.of(eventTime(event)).periods()) {
      String id = period.id();
      ACC acc = periods.get(id);
      if (acc == null) {
        if (!opens(event, period, watermark)) {
          continue;
        }
        acc = createAccumulator();
        if (finality.isFinal(period, watermark) && keptUntil(period) > watermark) {
          acc.close(); // opened final: every row of it is final
          ctx.timerService().registerEventTimeTimer(keptUntil(period));
        } else {
          ctx.timerService().registerEventTimeTimer(finality.finalAt(period));
          opened = true;
        }
      }
      add(acc, event);
      acc.events += eventCount(event);
      acc.lastEvent = eventId(event);
      periods.put(id, acc);
    }
    if (emitIntervalMillis != null) {
      long now = ctx.timerService().currentProcessingTime();
      Long latest = rollingTimer.value();
      if (latest == null || latest <= now) {
        long next = nextRollingEmit(now, latest);
        ctx.timerService().registerProcessingTimeTimer(next);
        rollingTimer.update(next);
        latest = next;
      }
      if (opened) {
        scheduleFirstRows(now, latest, ctx);
      }
    }
  }

  /**
   * A period opened at {@code now} gets its first row on the next whole second, unless the key's
   * rolling emit {@code pending} comes as soon.
   */
  private void scheduleFirstRows(long now, long pending, Context ctx) throws Exception {
    long early = nextMultiple(now, Math.min(FIRST_EMIT.toMillis(), emitIntervalMillis));
    Long scheduled = firstRowsTimer.value();
    if (early < pending && (scheduled == null || scheduled <= now)) {
      ctx.timerService().registerProcessingTimeTimer(early);
      firstRowsTimer.update(early);
    }
  }

  /**
   * When the key's rolling rows go out next: on the next multiple of the emit interval, so all keys
   * emit together (one burst, one insert per table), but never sooner than an interval after the
   * key's previous rolling emit. A key that has not emitted yet (a fresh start, or a key whose
   * periods were all final) emits on the next whole second instead: a new user sees the first
   * figures a second after the first events, not up to an emit interval later.
   */
  long nextRollingEmit(long now, Long previous) {
    if (previous == null) {
      return Math.min(
          nextMultiple(now, emitIntervalMillis),
          nextMultiple(now, Math.min(FIRST_EMIT.toMillis(), emitIntervalMillis)));
    }
    // back on the multiples after an early first emit
    return nextMultiple(Math.max(now, previous + emitIntervalMillis - 1), emitIntervalMillis);
  }

  /** The first multiple of {@code step} after {@code t}. */
  private static long nextMultiple(long t, long step) {
    return (Math.floorDiv(t, step) + 1) * step;
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<OUT> out) throws Exception {
    long now = ctx.timerService().currentProcessingTime();
    if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
      Long first = firstRowsTimer.value();
      Long rolling = rollingTimer.value();
      if (first != null && first == timestamp) {
        firstRowsTimer.clear();
      }
      if (first != null && first == timestamp && (rolling == null || rolling != timestamp)) {
        emitFirstRows(ctx.getCurrentKey(), timestamp, now, out);
      } else {
        emitChanged(ctx.getCurrentKey(), timestamp, now, ctx, out);
      }
    } else {
      emitFinal(ctx.getCurrentKey(), timestamp, now, ctx, out);
    }
  }

  /**
   * The rolling emit due at {@code due}: every row that changed, except one whose previous version
   * (a first row) was due less than an emit interval before; that one waits for the next rolling
   * emit, set here. Due times, not the times the timers fired: a timer that fires late (a busy
   * task) must not make the next rolling emit look too close and skip a whole interval.
   */
  private void emitChanged(ScopeKey key, long due, long now, OnTimerContext ctx, Collector<OUT> out)
      throws Exception {
    boolean waiting = false;
    for (Map.Entry<String, ACC> e : entries()) {
      ACC acc = e.getValue();
      if (rolling() && acc.emittedEvents != -1 && due < acc.emittedAt + emitIntervalMillis) {
        Period period = known(e.getKey()).period;
        waiting |= changes(period, acc) != acc.emittedEvents;
      } else if (emitIfChanged(key, known(e.getKey()).period, acc, due, now, out)) {
        periods.put(e.getKey(), acc);
      }
    }
    if (waiting) {
      Long latest = rollingTimer.value();
      if (latest == null || latest <= now) {
        long next = nextRollingEmit(now, due);
        ctx.timerService().registerProcessingTimeTimer(next);
        rollingTimer.update(next);
      }
    }
  }

  /** The first rows of the periods opened since the key's latest rolling emit, and no others. */
  private void emitFirstRows(ScopeKey key, long due, long now, Collector<OUT> out)
      throws Exception {
    for (Map.Entry<String, ACC> e : entries()) {
      ACC acc = e.getValue();
      if (acc.emittedEvents == -1 && !acc.isClosed()) {
        Period period = known(e.getKey()).period;
        emit(key, period, acc, changes(period, acc), false, due, now, out);
        periods.put(e.getKey(), acc);
      }
    }
  }

  private void emitFinal(
      ScopeKey key, long watermark, long now, OnTimerContext ctx, Collector<OUT> out)
      throws Exception {
    for (Map.Entry<String, ACC> e : entries()) {
      Known k = known(e.getKey());
      boolean isFinal = watermark != Long.MIN_VALUE && watermark >= k.finalAt;
      if (!isFinal && k.keptUntil > watermark) {
        continue; // open, and stays so: its accumulator need not be read
      }
      Period period = k.period;
      ACC acc = e.getValue();
      if (!acc.isClosed() && isFinal) {
        emit(key, period, acc, changes(period, acc), true, now, now, out);
        if (k.keptUntil > watermark) {
          acc.close();
          periods.put(e.getKey(), acc);
          ctx.timerService().registerEventTimeTimer(k.keptUntil);
        } else {
          periods.remove(e.getKey());
        }
      } else if (acc.isClosed() && k.keptUntil <= watermark) {
        emitIfChanged(key, period, acc, now, now, out);
        periods.remove(e.getKey());
      }
    }
    if (periods.isEmpty()) {
      periods.clear(); // an empty map is still an entry in heap state
      Long latest = rollingTimer.value();
      if (latest != null) {
        ctx.timerService().deleteProcessingTimeTimer(latest); // a no-op once it fired
        rollingTimer.clear();
      }
      Long first = firstRowsTimer.value();
      if (first != null) {
        ctx.timerService().deleteProcessingTimeTimer(first);
        firstRowsTimer.clear();
      }
    }
  }

  /** Emits the period's row (final once closed) if it changed since last emitted. */
  private boolean emitIfChanged(
      ScopeKey key, Period period, ACC acc, long due, long now, Collector<OUT> out)
      throws Exception {
    long changes = changes(period, acc);
    if (changes == acc.emittedEvents) {
      return false;
    }
    emit(key, period, acc, changes, acc.isClosed(), due, now, out);
    return true;
  }

  private void emit(
      ScopeKey key,
      Period period,
      ACC acc,
      long changes,
      boolean isFinal,
      long due,
      long now,
      Collector<OUT> out)
      throws Exception {
    acc.emittedEvents = changes;
    acc.emittedAt = due;
    OUT row = row(key, period, acc, isFinal, now);
    if (guard.admits(row, "event " + acc.lastEvent + " (the last that changed it)")) {
      out.collect(row);
    }
  }

  /**
   * A period of the state and its two instants, worked out once per period id instead of on every
   * timer for every open period (a key's final timers each look at all its open periods, and
   * parsing the id and converting its end to event time were most of what a timer cost).
   */
  private record Known(Period period, long finalAt, long keptUntil) {}

  private Known known(String id) {
    Known k = known.get(id);
    if (k == null) {
      Period p = Period.fromId(id);
      k = new Known(p, finality.finalAt(p), keptUntil(p));
      known.put(id, k);
    }
    return k;
  }

  /** The periods' entries, copied so that the loops over them may put and remove. */
  private List<Map.Entry<String, ACC>> entries() throws Exception {
    List<Map.Entry<String, ACC>> all = new ArrayList<>();
    periods.entries().forEach(all::add);
    return all;
  }
}
