package cn.xingan.kpi.market;

import cn.xingan.kpi.kpi.DaySlice;
import cn.xingan.kpi.kpi.RollingPeriodFunction;
import cn.xingan.kpi.kpi.ScopeKey;
import cn.xingan.kpi.periods.CalendarPeriods;
import cn.xingan.kpi.periods.Period;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The {@code kpi_market} figures, over the reports in the period: occupancy as sums of occupied and
 * total stalls; each market's peak occupied count summed over the scope; markets counted by the
 * status of their latest report; gig workers as the sum of each market's latest report's {@code
 * workers_registered} (a latest report without it counts 0); matched jobs summed.
 */
public final class MarketKpiFunction
    extends RollingPeriodFunction<
        DaySlice<MarketKpiAccumulator>, MarketKpiAccumulator, MarketKpiRow> {
  private static final long serialVersionUID = 1L;

  /**
   * @param emitInterval how often changed rows are re-emitted; {@code null} in bounded runs
   */
  public MarketKpiFunction(
      CalendarPeriods calendar, Duration allowedLateness, Duration emitInterval) {
    super(
        "kpi_market",
        calendar,
        allowedLateness,
        emitInterval,
        TypeInformation.of(MarketKpiAccumulator.class));
  }

  @Override
  protected long eventTime(DaySlice<MarketKpiAccumulator> in) {
    return in.dayStart();
  }

  @Override
  protected long eventCount(DaySlice<MarketKpiAccumulator> in) {
    return in.figures().events;
  }

  @Override
  protected String eventId(DaySlice<MarketKpiAccumulator> in) {
    return in.figures().lastEvent;
  }

  @Override
  protected java.util.List<String> problems(MarketKpiRow row) {
    return row.problems();
  }

  @Override
  protected MarketKpiAccumulator createAccumulator() {
    return new MarketKpiAccumulator();
  }

  @Override
  protected void add(MarketKpiAccumulator a, DaySlice<MarketKpiAccumulator> in) {
    a.merge(in.figures());
  }

  @Override
  protected MarketKpiRow row(
      ScopeKey key, Period p, MarketKpiAccumulator a, boolean isFinal, long updatedAtMillis) {
    long peak = 0;
    long workers = 0;
    int operating = 0;
    int upgrading = 0;
    int closed = 0;
    for (MarketState m : a.markets.values()) {
      peak += m.peakOccupied;
      workers += m.latestWorkers;
      switch (m.latestStatus) {
        case OPERATING -> operating++;
        case UPGRADING -> upgrading++;
        case CLOSED -> closed++;
      }
    }
    return new MarketKpiRow(
        p.kind().code(),
        p.start(),
        p.end(),
        key.scope(),
        key.key(),
        a.markets.size(),
        a.events,
        a.stallsOccupiedSum,
        a.stallsTotalSum,
        peak,
        operating,
        upgrading,
        closed,
        workers,
        a.jobsMatched,
        a.events,
        isFinal,
        a.version(isFinal),
        updatedAtMillis);
  }
}
