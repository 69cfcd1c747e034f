package cn.xingan.kpi.project;

import cn.xingan.kpi.events.Milestone;
import cn.xingan.kpi.kpi.RollingPeriodFunction;
import cn.xingan.kpi.kpi.ScopeKey;
import cn.xingan.kpi.periods.CalendarPeriods;
import cn.xingan.kpi.periods.Finality;
import cn.xingan.kpi.periods.Period;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.util.Collector;

/**
 * The {@code kpi_project} rows of one scope key, for every period kind, on the rolling machinery of
 * the other streams ({@link RollingPeriodFunction}). Flow figures (investment, reports, milestones
 * in the period) are kept per open period; a period's row exists once a fact of the scope falls in
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
    extends RollingPeriodFunction<ProjectFact, ProjectPeriodAccumulator, ProjectKpiRow> {
  private static final long serialVersionUID = 1L;

  private final long registrationWaitMillis;
  private final ScopeStock stock;

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
    super(
        "kpi_project",
        calendar,
        allowedLateness,
        emitInterval,
        TypeInformation.of(ProjectPeriodAccumulator.class));
    this.registrationWaitMillis = registrationWait.toMillis();
    this.stock = new ScopeStock(calendar, finality(), registrationWait);
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    super.open(openContext);
    stock.open(getRuntimeContext());
  }

  @Override
  public void processElement(ProjectFact f, Context ctx, Collector<ProjectKpiRow> out)
      throws Exception {
    stock.add(f, ctx.timerService().currentWatermark());
    super.processElement(f, ctx, out);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ProjectKpiRow> out)
      throws Exception {
    super.onTimer(timestamp, ctx, out);
    if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
      stock.foldDaysBefore(timestamp);
    }
  }

  /** Nothing to take back from; or the period is final and no longer kept. */
  @Override
  protected boolean opens(ProjectFact f, Period period, long watermark) {
    return !f.retracted()
        && !(finality().isFinal(period, watermark) && keptUntil(period) <= watermark);
  }

  /**
   * When no event can be released into the period any more: a registration up to {@code
   * --registration-wait} after the period's last instant is no longer admitted (see the class
   * comment). A bounded run ends with everything final.
   */
  @Override
  protected long keptUntil(Period period) {
    if (!rolling()) {
      return Long.MIN_VALUE;
    }
    long last = finality().calendar().endExclusiveMillis(period) - 1;
    return finality().earliestFinalAt(Finality.plus(last, registrationWaitMillis));
  }

  /** Every fact and retraction of the scope up to the period's end. */
  @Override
  protected long changes(Period period, ProjectPeriodAccumulator acc) throws Exception {
    return stock.at(period.end()).changes;
  }

  @Override
  protected long eventTime(ProjectFact f) {
    return f.time();
  }

  @Override
  protected String eventId(ProjectFact f) {
    return f.eventId() + " of project " + f.projectId();
  }

  @Override
  protected List<String> problems(ProjectKpiRow row) {
    return row.problems();
  }

  @Override
  protected ProjectPeriodAccumulator createAccumulator() {
    return new ProjectPeriodAccumulator();
  }

  @Override
  protected void add(ProjectPeriodAccumulator acc, ProjectFact f) {
    acc.add(f);
  }

  @Override
  protected ProjectKpiRow row(
      ScopeKey key, Period p, ProjectPeriodAccumulator a, boolean isFinal, long updatedAt)
      throws Exception {
    ProjectStock s = stock.at(p.end());
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
