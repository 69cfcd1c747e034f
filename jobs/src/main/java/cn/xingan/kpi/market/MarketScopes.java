package cn.xingan.kpi.market;

import cn.xingan.kpi.events.MarketEvent;
import cn.xingan.kpi.kpi.ScopeKey;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Sends each market report to every scope of {@code kpi_market} it counts in: the League, its
 * county, its market type (by code, e.g. {@code morning_evening}) and the market itself (by {@code
 * market_id}).
 */
public final class MarketScopes implements FlatMapFunction<MarketEvent, ScopedMarket> {
  public static final String COUNTY = "county";
  public static final String MARKET_TYPE = "market_type";
  public static final String MARKET = "market";

  @Override
  public void flatMap(MarketEvent e, Collector<ScopedMarket> out) {
    out.collect(new ScopedMarket(ScopeKey.league(), e));
    out.collect(new ScopedMarket(new ScopeKey(COUNTY, e.county()), e));
    out.collect(new ScopedMarket(new ScopeKey(MARKET_TYPE, e.marketType().code()), e));
    out.collect(new ScopedMarket(new ScopeKey(MARKET, e.marketId()), e));
  }
}
