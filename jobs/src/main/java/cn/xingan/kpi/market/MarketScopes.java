package cn.xingan.kpi.market;

import cn.xingan.kpi.events.MarketEvent;
import cn.xingan.kpi.kpi.ScopeKey;
import cn.xingan.kpi.kpi.SliceFigures;

/**
 * The scopes of {@code kpi_market} a market report counts in, and what it adds to each: the League,
 * its county, its market type (by code, e.g. {@code morning_evening}) and the market itself (by
 * {@code market_id}).
 */
public final class MarketScopes implements SliceFigures<MarketEvent, MarketKpiAccumulator> {
  private static final long serialVersionUID = 1L;
  public static final String COUNTY = "county";
  public static final String MARKET_TYPE = "market_type";
  public static final String MARKET = "market";

  @Override
  public long eventTime(MarketEvent e) {
    return e.eventTime();
  }

  @Override
  public String eventId(MarketEvent e) {
    return e.eventId();
  }

  @Override
  public void scopes(MarketEvent e, ScopeConsumer out) {
    out.accept(ScopeKey.LEAGUE, "");
    out.accept(COUNTY, e.county());
    out.accept(MARKET_TYPE, e.marketType().code());
    out.accept(MARKET, e.marketId());
  }

  @Override
  public MarketKpiAccumulator create() {
    return new MarketKpiAccumulator();
  }

  @Override
  public void add(MarketKpiAccumulator figures, MarketEvent e) {
    figures.add(e);
  }

  @Override
  public void merge(MarketKpiAccumulator into, MarketKpiAccumulator from) {
    into.merge(from);
  }
}
