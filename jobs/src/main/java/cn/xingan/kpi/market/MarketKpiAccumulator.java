package cn.xingan.kpi.market;

import cn.xingan.kpi.events.MarketEvent;
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

  /** Adds one report's figures. */
  public void add(MarketEvent e) {
    stallsOccupiedSum += e.stallsOccupied();
    stallsTotalSum += e.stallsTotal();
    if (e.jobsMatched() > 0) {
      jobsMatched += e.jobsMatched();
    }
    markets.computeIfAbsent(e.marketId(), id -> new MarketState()).add(e);
  }

  /** Adds another slice's figures: sums add, each market's state merges. */
  public void merge(MarketKpiAccumulator o) {
    stallsOccupiedSum += o.stallsOccupiedSum;
    stallsTotalSum += o.stallsTotalSum;
    jobsMatched += o.jobsMatched;
    for (Map.Entry<String, MarketState> m : o.markets.entrySet()) {
      markets.computeIfAbsent(m.getKey(), id -> new MarketState()).merge(m.getValue());
    }
  }
}
