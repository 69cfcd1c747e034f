package cn.xingan.kpi.service;

import cn.xingan.kpi.events.ServiceEvent;
import cn.xingan.kpi.kpi.ScopeKey;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Sends each service event to every scope of {@code kpi_service} it counts in. */
public final class ServiceScopes implements FlatMapFunction<ServiceEvent, ScopedService> {
  public static final String COUNTY = "county";
  public static final String DEPARTMENT = "department";
  public static final String SERVICE = "service";
  public static final String CHANNEL = "channel";

  @Override
  public void flatMap(ServiceEvent e, Collector<ScopedService> out) {
    out.collect(new ScopedService(ScopeKey.league(), e));
    out.collect(new ScopedService(new ScopeKey(COUNTY, e.county()), e));
    out.collect(new ScopedService(new ScopeKey(DEPARTMENT, e.department()), e));
    out.collect(new ScopedService(new ScopeKey(SERVICE, e.serviceCode()), e));
    out.collect(new ScopedService(new ScopeKey(CHANNEL, e.channel()), e));
  }
}
