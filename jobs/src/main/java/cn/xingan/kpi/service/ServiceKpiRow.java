package cn.xingan.kpi.service;

import cn.xingan.kpi.kpi.Columns;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** One row of {@code kpi_service}, column for column (see CONTRACT.md §3). */
public record ServiceKpiRow(
    String period,
    LocalDate periodStart,
    LocalDate periodEnd,
    String scope,
    String scopeKey,
    long accepted,
    long completed,
    long rejected,
    long completedOnTime,
    long completedOnline,
    long completedZeroVisit,
    double processingHoursSum,
    double processingHoursMax,
    long promisedDaysSum,
    long statutoryDaysSum,
    long satisfactionResponses,
    long satisfactionPositive,
    long events,
    boolean isFinal,
    long version,
    long updatedAtMillis) {

  /** The columns ClickHouse would refuse (see {@link cn.xingan.kpi.kpi.RowGuard}). */
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    Columns.date(p, "period_start", periodStart);
    Columns.date(p, "period_end", periodEnd);
    Columns.uint64(p, "accepted", accepted);
    Columns.uint64(p, "completed", completed);
    Columns.uint64(p, "rejected", rejected);
    Columns.uint64(p, "completed_on_time", completedOnTime);
    Columns.uint64(p, "completed_online", completedOnline);
    Columns.uint64(p, "completed_zero_visit", completedZeroVisit);
    Columns.finite(p, "processing_hours_sum", processingHoursSum);
    Columns.finite(p, "processing_hours_max", processingHoursMax);
    Columns.uint64(p, "promised_days_sum", promisedDaysSum);
    Columns.uint64(p, "statutory_days_sum", statutoryDaysSum);
    Columns.uint64(p, "satisfaction_responses", satisfactionResponses);
    Columns.uint64(p, "satisfaction_positive", satisfactionPositive);
    Columns.uint64(p, "events", events);
    Columns.uint64(p, "version", version);
    Columns.dateTime(p, "updated_at", updatedAtMillis);
    return p;
  }
}
