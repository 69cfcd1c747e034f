package cn.xingan.kpi.market;

import cn.xingan.kpi.events.MarketEvent;
import cn.xingan.kpi.kpi.ScopeKey;

/** A market report on its way to the KPI function of one of its scopes. */
public record ScopedMarket(ScopeKey scope, MarketEvent event) {}
