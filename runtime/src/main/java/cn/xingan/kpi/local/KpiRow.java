package cn.xingan.kpi.local;

import java.time.LocalDate;
import java.util.Map;

/**
 * One `kpi_service` row as read back from ClickHouse JSONEachRow, where UInt64 columns arrive as
 * quoted strings and the rest as numbers; this turns either into typed values once, so the table
 * code does arithmetic, not parsing.
 */
record KpiRow(
    String period,
    LocalDate periodStart,
    String scope,
    String scopeKey,
    long accepted,
    long completed,
    long completedOnTime,
    long completedOnline,
    long completedZeroVisit,
    double processingHoursSum,
    long satisfactionResponses,
    long satisfactionPositive,
    boolean isFinal,
    long version) {

  static KpiRow of(Map<String, Object> row) {
    return new KpiRow(
        RowValues.text("kpi_service", row, "period"),
        RowValues.date("kpi_service", row, "period_start"),
        RowValues.text("kpi_service", row, "scope"),
        row.get("scope_key") == null ? "" : RowValues.text("kpi_service", row, "scope_key"),
        RowValues.whole(row, "accepted"),
        RowValues.whole(row, "completed"),
        RowValues.whole(row, "completed_on_time"),
        RowValues.whole(row, "completed_online"),
        RowValues.whole(row, "completed_zero_visit"),
        RowValues.decimal(row, "processing_hours_sum"),
        RowValues.whole(row, "satisfaction_responses"),
        RowValues.whole(row, "satisfaction_positive"),
        RowValues.whole(row, "is_final") != 0,
        RowValues.whole(row, "version"));
  }

  /** The table key: one row per (period, start, scope, key). */
  String id() {
    return id(period, periodStart, scope, scopeKey);
  }

  static String id(String period, LocalDate start, String scope, String key) {
    return period + '|' + start + '|' + scope + '|' + key;
  }
}
