package cn.xingan.kpi.service;

import cn.xingan.kpi.events.ServiceEvent;
import cn.xingan.kpi.kpi.ScopeKey;
import cn.xingan.kpi.kpi.SliceFigures;

/** The scopes of {@code kpi_service} a service event counts in, and what it adds to each. */
public final class ServiceScopes implements SliceFigures<ServiceEvent, ServiceKpiAccumulator> {
  private static final long serialVersionUID = 1L;
  public static final String COUNTY = "county";
  public static final String DEPARTMENT = "department";
  public static final String SERVICE = "service";
  public static final String CHANNEL = "channel";

  @Override
  public long eventTime(ServiceEvent e) {
    return e.eventTime();
  }

  @Override
  public String eventId(ServiceEvent e) {
    return e.eventId();
  }

  @Override
  public void scopes(ServiceEvent e, ScopeConsumer out) {
    out.accept(ScopeKey.LEAGUE, "");
    out.accept(COUNTY, e.county());
    out.accept(DEPARTMENT, e.department());
    out.accept(SERVICE, e.serviceCode());
    out.accept(CHANNEL, e.channel());
  }

  @Override
  public ServiceKpiAccumulator create() {
    return new ServiceKpiAccumulator();
  }

  @Override
  public void add(ServiceKpiAccumulator figures, ServiceEvent e) {
    figures.add(e);
  }

  @Override
  public void merge(ServiceKpiAccumulator into, ServiceKpiAccumulator from) {
    into.merge(from);
  }
}
