package cn.xingan.kpi.service;

import cn.xingan.kpi.kpi.DaySlice;
import cn.xingan.kpi.kpi.RollingPeriodFunction;
import cn.xingan.kpi.kpi.ScopeKey;
import cn.xingan.kpi.periods.CalendarPeriods;
import cn.xingan.kpi.periods.Period;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The {@code kpi_service} rows: the day slices of a scope key (counts by status, on-time, online,
 * zero-visit, durations, ratings; see {@link ServiceKpiAccumulator}) merged into its periods.
 */
public final class ServiceKpiFunction
    extends RollingPeriodFunction<
        DaySlice<ServiceKpiAccumulator>, ServiceKpiAccumulator, ServiceKpiRow> {
  private static final long serialVersionUID = 1L;
  private static final double MILLIS_PER_HOUR = 3_600_000.0;

  /**
   * @param emitInterval how often changed rows are re-emitted; {@code null} in bounded runs
   */
  public ServiceKpiFunction(
      CalendarPeriods calendar, Duration allowedLateness, Duration emitInterval) {
    super(
        "kpi_service",
        calendar,
        allowedLateness,
        emitInterval,
        TypeInformation.of(ServiceKpiAccumulator.class));
  }

  @Override
  protected long eventTime(DaySlice<ServiceKpiAccumulator> in) {
    return in.dayStart();
  }

  @Override
  protected long eventCount(DaySlice<ServiceKpiAccumulator> in) {
    return in.figures().events;
  }

  @Override
  protected String eventId(DaySlice<ServiceKpiAccumulator> in) {
    return in.figures().lastEvent;
  }

  @Override
  protected java.util.List<String> problems(ServiceKpiRow row) {
    return row.problems();
  }

  @Override
  protected ServiceKpiAccumulator createAccumulator() {
    return new ServiceKpiAccumulator();
  }

  @Override
  protected void add(ServiceKpiAccumulator a, DaySlice<ServiceKpiAccumulator> in) {
    a.merge(in.figures());
  }

  @Override
  protected ServiceKpiRow row(
      ScopeKey key, Period p, ServiceKpiAccumulator a, boolean isFinal, long updatedAtMillis) {
    return new ServiceKpiRow(
        p.kind().code(),
        p.start(),
        p.end(),
        key.scope(),
        key.key(),
        a.accepted,
        a.completed,
        a.rejected,
        a.completedOnTime,
        a.completedOnline,
        a.completedZeroVisit,
        a.processingMillisSum / MILLIS_PER_HOUR,
        a.processingMillisMax / MILLIS_PER_HOUR,
        a.promisedDaysSum,
        a.statutoryDaysSum,
        a.satisfactionResponses,
        a.satisfactionPositive,
        a.events,
        isFinal,
        a.version(isFinal),
        updatedAtMillis);
  }
}
