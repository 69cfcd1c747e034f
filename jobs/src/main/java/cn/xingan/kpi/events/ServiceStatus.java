package cn.xingan.kpi.events;

/** Status of a service transaction; each status change is one event. */
public enum ServiceStatus {
  ACCEPTED,
  COMPLETED,
  REJECTED
}
