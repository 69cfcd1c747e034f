package cn.xingan.kpi.service;

import cn.xingan.kpi.kpi.PeriodAccumulator;

/**
 * The running {@code kpi_service} figures of one period and scope. Processing time is summed in
 * whole milliseconds so the hours come out the same whatever order events arrive in (a double sum
 * would not: backfill and streaming must give identical rows).
 */
public class ServiceKpiAccumulator extends PeriodAccumulator {
  public long accepted;
  public long completed;
  public long rejected;
  public long completedOnTime;
  public long completedOnline;
  public long completedZeroVisit;
  public long processingMillisSum;
  public long processingMillisMax;
  public long promisedDaysSum;
  public long statutoryDaysSum;
  public long satisfactionResponses;
  public long satisfactionPositive;
}
