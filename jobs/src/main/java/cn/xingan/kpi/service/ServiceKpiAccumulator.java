package cn.xingan.kpi.service;

import cn.xingan.kpi.events.ServiceEvent;
import cn.xingan.kpi.kpi.PeriodAccumulator;

/**
 * The running {@code kpi_service} figures of one period (or one day slice) and scope. Processing
 * time is summed in whole milliseconds so the hours come out the same whatever order events arrive
 * in and however they were batched (a double sum would not: backfill and streaming must give
 * identical rows).
 */
public class ServiceKpiAccumulator extends PeriodAccumulator {
  private static final long MILLIS_PER_DAY = 86_400_000L;

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

  /** Adds one event's figures. */
  public void add(ServiceEvent e) {
    switch (e.status()) {
      case ACCEPTED -> accepted++;
      case REJECTED -> rejected++;
      case COMPLETED -> addCompleted(e);
    }
  }

  private void addCompleted(ServiceEvent e) {
    long millis = e.processingMillis();
    completed++;
    if (millis <= e.promisedDays() * MILLIS_PER_DAY) {
      completedOnTime++;
    }
    if ("online".equals(e.channel())) {
      completedOnline++;
    }
    if (e.visits() == 0) {
      completedZeroVisit++;
    }
    processingMillisSum += millis;
    processingMillisMax = Math.max(processingMillisMax, millis);
    promisedDaysSum += e.promisedDays();
    statutoryDaysSum += e.statutoryDays();
    if (e.satisfaction() > 0) {
      satisfactionResponses++;
      if (e.satisfaction() >= 4) {
        satisfactionPositive++;
      }
    }
  }

  /** Adds another slice's figures. */
  public void merge(ServiceKpiAccumulator o) {
    accepted += o.accepted;
    completed += o.completed;
    rejected += o.rejected;
    completedOnTime += o.completedOnTime;
    completedOnline += o.completedOnline;
    completedZeroVisit += o.completedZeroVisit;
    processingMillisSum += o.processingMillisSum;
    processingMillisMax = Math.max(processingMillisMax, o.processingMillisMax);
    promisedDaysSum += o.promisedDaysSum;
    statutoryDaysSum += o.statutoryDaysSum;
    satisfactionResponses += o.satisfactionResponses;
    satisfactionPositive += o.satisfactionPositive;
  }
}
