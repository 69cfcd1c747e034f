package cn.xingan.kpi.service;

import cn.xingan.kpi.events.ServiceEvent;
import cn.xingan.kpi.kpi.RollingPeriodFunction;
import cn.xingan.kpi.kpi.ScopeKey;
import cn.xingan.kpi.periods.CalendarPeriods;
import cn.xingan.kpi.periods.Period;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The {@code kpi_service} figures: counts by status, on-time, online, zero-visit, durations,
 * ratings.
 */
public final class ServiceKpiFunction
    extends RollingPeriodFunction<ScopedService, ServiceKpiAccumulator, ServiceKpiRow> {
  private static final long serialVersionUID = 1L;
  private static final double MILLIS_PER_HOUR = 3_600_000.0;
  private static final long MILLIS_PER_DAY = 86_400_000L;

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
  protected long eventTime(ScopedService in) {
    return in.event().eventTime();
  }

  @Override
  protected String eventId(ScopedService in) {
    return in.event().eventId();
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
  protected void add(ServiceKpiAccumulator a, ScopedService in) {
    ServiceEvent e = in.event();
    switch (e.status()) {
      case ACCEPTED -> a.accepted++;
      case REJECTED -> a.rejected++;
      case COMPLETED -> addCompleted(a, e);
    }
  }

  private static void addCompleted(ServiceKpiAccumulator a, ServiceEvent e) {
    long millis = e.processingMillis();
    a.completed++;
    if (millis <= e.promisedDays() * MILLIS_PER_DAY) {
      a.completedOnTime++;
    }
    if ("online".equals(e.channel())) {
      a.completedOnline++;
    }
    if (e.visits() == 0) {
      a.completedZeroVisit++;
    }
    a.processingMillisSum += millis;
    a.processingMillisMax = Math.max(a.processingMillisMax, millis);
    a.promisedDaysSum += e.promisedDays();
    a.statutoryDaysSum += e.statutoryDays();
    if (e.satisfaction() > 0) {
      a.satisfactionResponses++;
      if (e.satisfaction() >= 4) {
        a.satisfactionPositive++;
      }
    }
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
