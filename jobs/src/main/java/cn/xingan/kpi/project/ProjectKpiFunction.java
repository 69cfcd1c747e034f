package cn.xingan.kpi.project;

import cn.xingan.kpi.events.Milestone;
import cn.xingan.kpi.kpi.ScopeKey;
import cn.xingan.kpi.periods.CalendarPeriods;
import cn.xingan.kpi.periods.Finality;
import cn.xingan.kpi.periods.Period;
import java.time.Duration;
import java.time.LocalDate;
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
 * The {@code kpi_project} rows of one scope key, for every period kind. Flow figures (investment,
 * reports, milestones in the period) are kept per open period, as in {@link
 * cn.xingan.kpi.kpi.RollingPeriodFunction}; a period's row exists once a fact of the scope falls in
 * it. Stock figures are taken as of the period's end: the stock changes of the facts are kept per
 * local day, and a period's stock is the base plus the days up to its last day. So a row counts
 * every project registered by its end, even in a period where only another project reported, and
 * facts may arrive in any order.
 *
 * <p>Days are folded into the base once no period ending before them can still be emitted (the
 * watermark passed the day's start plus the allowed lateness: every period that ended before the
 * day is final, and no fact can open one again). The base stays with the key: it is the scope's
 * running stock, which later periods start from. {@code events} of a row is the number of facts of
 * the scope up to its end, so its version grows with each fact that changes it. Rolling rows every
 * {@code emitInterval}; none in bounded runs.
 */
public final class ProjectKpiFunction
    extends KeyedProcessFunction<ScopeKey, ProjectFact, ProjectKpiRow> {
  private static final long serialVersionUID = 1L;

  private final CalendarPeriods calendar;
  private final Finality finality;
  private final Long emitIntervalMillis;

  private transient MapState<String, ProjectPeriodAccumulator> periods;
  private transient MapState<Long, ProjectStock> days;
  private transient ValueState<ProjectStock> base;
  private transient ValueState<Long> rollingTimer;

  /**
   * @param emitInterval how often changed rows are re-emitted; {@code null} in bounded runs
   */
  public ProjectKpiFunction(
      CalendarPeriods calendar, Duration allowedLateness, Duration emitInterval) {
    this.calendar = calendar;
    this.finality = new Finality(calendar, allowedLateness);
    this.emitIntervalMillis = emitInterval == null ? null : emitInterval.toMillis();
  }

  @Override
  public void open(OpenContext openContext) {
    TypeInformation<ProjectStock> stock = TypeInformation.of(ProjectStock.class);
    periods =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "open-periods",
                    Types.STRING,
                    TypeInformation.of(ProjectPeriodAccumulator.class)));
    days = getRuntimeContext().getMapState(new MapStateDescriptor<>("days", Types.LONG, stock));
    base = getRuntimeContext().getState(new ValueStateDescriptor<>("base", stock));
    rollingTimer =
        getRuntimeContext().getState(new ValueStateDescriptor<>("rolling-timer", Types.LONG));
  }

  @Override
  public void processElement(ProjectFact f, Context ctx, Collector<ProjectKpiRow> out)
      throws Exception {
    long watermark = ctx.timerService().currentWatermark();
    LocalDate day = calendar.localDate(f.time());
    ProjectStock change = ProjectStock.of(f, day.getYear());
    if (foldable(day, watermark)) {
      fold(day, change);
    } else {
      ProjectStock d = days.get(day.toEpochDay());
      if (d == null) {
        days.put(day.toEpochDay(), change);
      } else {
        d.add(change, day.getYear());
        days.put(day.toEpochDay(), d);
      }
    }
    for (Period period : calendar.periodsOf(f.time())) {
      if (finality.isFinal(period, watermark)) {
        continue; // the row is final: an event that waited for its registration came too late
      }
      ProjectPeriodAccumulator acc = periods.get(period.id());
      if (acc == null) {
        acc = new ProjectPeriodAccumulator();
        ctx.timerService().registerEventTimeTimer(finality.finalAt(period));
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
    Iterator<Map.Entry<String, ProjectPeriodAccumulator>> it = periods.iterator();
    while (it.hasNext()) {
      Map.Entry<String, ProjectPeriodAccumulator> e = it.next();
      Period period = Period.fromId(e.getKey());
      if (finality.isFinal(period, timestamp)) {
        out.collect(row(key, period, e.getValue(), stockAt(period.end()), true, now));
        it.remove();
      }
    }
    foldDaysBefore(timestamp);
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
    List<Map.Entry<String, ProjectPeriodAccumulator>> open = new ArrayList<>();
    periods.entries().forEach(open::add);
    for (Map.Entry<String, ProjectPeriodAccumulator> e : open) {
      Period period = Period.fromId(e.getKey());
      ProjectStock stock = stockAt(period.end());
      ProjectPeriodAccumulator acc = e.getValue();
      if (stock.events != acc.emittedEvents) {
        out.collect(row(key, period, acc, stock, false, now));
        acc.emittedEvents = stock.events;
        periods.put(e.getKey(), acc);
      }
    }
  }

  /** The stock as of the end of local day {@code last}: the base plus the days up to it. */
  private ProjectStock stockAt(LocalDate last) throws Exception {
    ProjectStock b = base.value();
    ProjectStock s = b == null ? new ProjectStock() : b.copy();
    int year = last.getYear();
    if (s.ytdYear != year) {
      s.ytdCents = 0; // the base holds another year's investment
      s.ytdYear = year;
    }
    for (Map.Entry<Long, ProjectStock> d : days.entries()) {
      LocalDate day = LocalDate.ofEpochDay(d.getKey());
      if (!day.isAfter(last)) {
        s.add(d.getValue(), day.getYear());
      }
    }
    return s;
  }

  /** Whether every period that ended before the day is final (so none can be emitted again). */
  private boolean foldable(LocalDate day, long watermark) {
    return watermark != Long.MIN_VALUE
        && finality.finalAfter(calendar.startOfDayMillis(day)) <= watermark;
  }

  private void foldDaysBefore(long watermark) throws Exception {
    List<Long> ready = new ArrayList<>();
    for (Long d : days.keys()) {
      if (foldable(LocalDate.ofEpochDay(d), watermark)) {
        ready.add(d);
      }
    }
    ready.sort(null); // in day order, so the base's year only moves forward
    for (Long d : ready) {
      fold(LocalDate.ofEpochDay(d), days.get(d));
      days.remove(d);
    }
    if (days.isEmpty()) {
      days.clear();
    }
  }

  private void fold(LocalDate day, ProjectStock change) throws Exception {
    ProjectStock b = base.value();
    if (b == null) {
      b = new ProjectStock();
    }
    b.add(change, day.getYear());
    base.update(b);
  }

  private ProjectKpiRow row(
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
        a.count(ProjectPeriodAccumulator.bit(Milestone.CONSTRUCTION_STARTED)),
        a.count(ProjectPeriodAccumulator.bit(Milestone.HALF_COMPLETE)),
        a.count(ProjectPeriodAccumulator.bit(Milestone.TRIAL_RUN)),
        a.count(ProjectPeriodAccumulator.bit(Milestone.IN_PRODUCTION)),
        a.count(ProjectPeriodAccumulator.bit(Milestone.COMPLETED)),
        progress,
        s.events,
        isFinal,
        s.events * 2 + (isFinal ? 1 : 0),
        updatedAt);
  }
}
