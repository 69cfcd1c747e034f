package cn.xingan.kpi.project;

import cn.xingan.kpi.events.Milestone;
import cn.xingan.kpi.kpi.RowGuard;
import cn.xingan.kpi.kpi.ScopeKey;
import cn.xingan.kpi.periods.CalendarPeriods;
import cn.xingan.kpi.periods.Finality;
import cn.xingan.kpi.periods.Period;
import java.time.Duration;
import java.util.ArrayList;
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
 * The {@code kpi_project} rows of one scope key, for every period kind. Flow figures (investment,
 * reports, milestones in the period) are kept per open period, as in {@link
 * cn.xingan.kpi.kpi.RollingPeriodFunction}; a period's row exists once a fact of the scope falls in
 * it, and stays (with zero flows) if the tracker later takes every fact back. Stock figures are
 * taken as of the period's end: the stock changes of the facts are kept per local day, and a
 * period's stock is the base plus the days up to its last day. So a row counts every project
 * registered by its end, even in a period where only another project reported, and facts and
 * retractions may arrive in any order.
 *
 * <p><b>Versions.</b> {@code events} of a row is the net number of facts of the scope up to its
 * end; its version is {@code 2 × changes + is_final}, where {@code changes} counts every fact and
 * every retraction received. In order the two counts are equal (the contract's "2 × events +
 * is_final"); a correction raises the version above every row written before it. Since the
 * tracker's facts depend only on each project's events and their order, the final row's version is
 * the same on every run over the same partitions, and no rolling row of any run reaches it.
 *
 * <p><b>Final rows that change.</b> An event that waited for its registration counts at its own
 * time, which may lie in a period already final when a late registration releases it. So a final
 * period is kept (its flow; the days of its stock stay unfolded) until no registration that could
 * release an event into it can arrive any more ({@code --registration-wait} after its end, as late
 * as the allowed lateness lets it); a fact in that time gives it a new final row with a higher
 * version, and a period without a row gets its first one, final.
 *
 * <p>The stock by day and its base (the scope's running stock) are {@link ScopeStock}'s. Rolling
 * rows every {@code emitInterval}; none in bounded runs.
 */
public final class ProjectKpiFunction
    extends KeyedProcessFunction<ScopeKey, ProjectFact, ProjectKpiRow> {
  private static final long serialVersionUID = 1L;

  private final CalendarPeriods calendar;
  private final Finality finality;
  private final long registrationWaitMillis;
  private final Long emitIntervalMillis;
  private final ScopeStock stock;

  private transient MapState<String, ProjectPeriodAccumulator> periods;
  private transient ValueState<Long> rollingTimer;
  private transient RowGuard<ProjectKpiRow> guard;

  /**
   * @param registrationWait how long before its registration an event may lie (see the class
   *     comment: final periods are kept that much longer)
   * @param emitInterval how often changed rows are re-emitted; {@code null} in bounded runs
   */
  public ProjectKpiFunction(
      CalendarPeriods calendar,
      Duration allowedLateness,
      Duration registrationWait,
      Duration emitInterval) {
    this.calendar = calendar;
    this.finality = new Finality(calendar, allowedLateness);
    this.registrationWaitMillis = registrationWait.toMillis();
    this.emitIntervalMillis = emitInterval == null ? null : emitInterval.toMillis();
    this.stock = new ScopeStock(calendar, finality, registrationWait);
  }

  @Override
  public void open(OpenContext openContext) {
    stock.open(getRuntimeContext());
    periods =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "open-periods",
                    Types.STRING,
                    TypeInformation.of(ProjectPeriodAccumulator.class)));
    rollingTimer =
        getRuntimeContext().getState(new ValueStateDescriptor<>("rolling-timer", Types.LONG));
    guard = new RowGuard<>("kpi_project", ProjectKpiRow::problems, getRuntimeContext());
  }

  @Override
  public void processElement(ProjectFact f, Context ctx, Collector<ProjectKpiRow> out)
      throws Exception {
    long watermark = ctx.timerService().currentWatermark();
    stock.add(f, watermark);
    for (Period period : calendar.periodsOf(f.time())) {
      ProjectPeriodAccumulator acc = periods.get(period.id());
      if (acc == null) {
        boolean isFinal = finality.isFinal(period, watermark);
        if (f.retracted() || (isFinal && keepUntil(period) <= watermark)) {
          continue; // nothing to take back from; or the row is final and no longer kept
        }
        acc = new ProjectPeriodAccumulator();
        acc.closed = isFinal; // a released event opens a final row that had no fact before
        ctx.timerService()
            .registerEventTimeTimer(isFinal ? keepUntil(period) : finality.finalAt(period));
      }
      acc.add(f);
      periods.put(period.id(), acc);
    }
    if (emitIntervalMillis != null && rollingTimer.value() == null) {
      long now = ctx.timerService().currentProcessingTime();
      long next = (now / emitIntervalMillis + 1) * emitIntervalMillis;
      ctx.timerService().registerProcessingTimeTimer(next);
      rollingTimer.update(next);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ProjectKpiRow> out)
      throws Exception {
    long now = ctx.timerService().currentProcessingTime();
    ScopeKey key = ctx.getCurrentKey();
    if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
      rollingTimer.clear();
      emitChanged(key, now, out);
      return;
    }
    for (Map.Entry<String, ProjectPeriodAccumulator> e : entries()) {
      Period period = Period.fromId(e.getKey());
      ProjectPeriodAccumulator acc = e.getValue();
      if (!acc.closed && finality.isFinal(period, timestamp)) {
        emit(key, period, acc, stock.at(period.end()), true, now, out);
        long keepUntil = keepUntil(period);
        if (keepUntil > timestamp) {
          acc.closed = true;
          periods.put(e.getKey(), acc);
          ctx.timerService().registerEventTimeTimer(keepUntil);
        } else {
          periods.remove(e.getKey());
        }
      } else if (acc.closed && keepUntil(period) <= timestamp) {
        ProjectStock s = stock.at(period.end());
        if (s.changes != acc.emittedChanges) {
          emit(key, period, acc, s, true, now, out);
        }
        periods.remove(e.getKey());
      }
    }
    stock.foldDaysBefore(timestamp);
    if (periods.isEmpty()) {
      periods.clear(); // an empty map is still an entry in heap state
      Long pending = rollingTimer.value();
      if (pending != null) {
        ctx.timerService().deleteProcessingTimeTimer(pending);
        rollingTimer.clear();
      }
    }
  }

  private void emitChanged(ScopeKey key, long now, Collector<ProjectKpiRow> out) throws Exception {
    for (Map.Entry<String, ProjectPeriodAccumulator> e : entries()) {
      Period period = Period.fromId(e.getKey());
      ProjectPeriodAccumulator acc = e.getValue();
      ProjectStock s = stock.at(period.end());
      if (s.changes != acc.emittedChanges) {
        emit(key, period, acc, s, acc.closed, now, out);
        periods.put(e.getKey(), acc);
      }
    }
  }

  /**
   * When no event can be released into the period any more: a registration up to {@code
   * --registration-wait} after the period's last instant is no longer admitted (see the class
   * comment). A bounded run ends with everything final.
   */
  private long keepUntil(Period period) {
    if (emitIntervalMillis == null) {
      return Long.MIN_VALUE;
    }
    long last = calendar.endExclusiveMillis(period) - 1;
    return finality.earliestFinalAt(Finality.plus(last, registrationWaitMillis));
  }

  private void emit(
      ScopeKey key,
      Period period,
      ProjectPeriodAccumulator acc,
      ProjectStock stock,
      boolean isFinal,
      long now,
      Collector<ProjectKpiRow> out) {
    acc.emittedChanges = stock.changes;
    ProjectKpiRow row = row(key, period, acc, stock, isFinal, now);
    if (guard.admits(row, acc.lastEvent)) {
      out.collect(row);
    }
  }

  private List<Map.Entry<String, ProjectPeriodAccumulator>> entries() throws Exception {
    List<Map.Entry<String, ProjectPeriodAccumulator>> all = new ArrayList<>();
    periods.entries().forEach(all::add);
    return all;
  }

  private static ProjectKpiRow row(
      ScopeKey key,
      Period p,
      ProjectPeriodAccumulator a,
      ProjectStock s,
      boolean isFinal,
      long updatedAt) {
    double progress =
        s.projects > 0 ? s.progressMicros / 1_000_000.0 / s.projects : 0.0; // 0 if no project
    return new ProjectKpiRow(
        p.kind().code(),
        p.start(),
        p.end(),
        key.scope(),
        key.key(),
        s.projects,
        s.plannedYearCents,
        a.investmentCents,
        s.ytdCents,
        a.count(ProjectPeriodAccumulator.REPORTED),
        a.count(ProjectPeriodAccumulator.index(Milestone.CONSTRUCTION_STARTED)),
        a.count(ProjectPeriodAccumulator.index(Milestone.HALF_COMPLETE)),
        a.count(ProjectPeriodAccumulator.index(Milestone.TRIAL_RUN)),
        a.count(ProjectPeriodAccumulator.index(Milestone.IN_PRODUCTION)),
        a.count(ProjectPeriodAccumulator.index(Milestone.COMPLETED)),
        progress,
        s.events,
        isFinal,
        s.changes * 2 + (isFinal ? 1 : 0),
        updatedAt);
  }
}
