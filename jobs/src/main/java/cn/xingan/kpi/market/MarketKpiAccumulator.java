package cn.xingan.kpi.market;

import cn.xingan.kpi.kpi.PeriodAccumulator;
import java.util.HashMap;
import java.util.Map;

/**
 * The running {@code kpi_market} figures of one period and scope. Sums are plain counters; the
 * figures that depend on each market (peak, latest status, latest workers) need the markets
 * themselves, kept by {@code market_id}. A scope holds at most the League's few dozen markets, so
 * the map stays small. {@link PeriodAccumulator#events} is the number of reports.
 */
public class MarketKpiAccumulator extends PeriodAccumulator {
  public long stallsOccupiedSum;
  public long stallsTotalSum;
  public long jobsMatched;
  public Map<String, MarketState> markets = new HashMap<>();
}
