package cn.xingan.kpi.service;

import cn.xingan.kpi.events.ServiceEvent;
import cn.xingan.kpi.kpi.ScopeKey;

/** A service event on its way to the KPI function of one of its scopes. */
public record ScopedService(ScopeKey scope, ServiceEvent event) {}
