package cn.xingan.kpi.local;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
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
        text(row, "period"),
        date(row, "period_start"),
        text(row, "scope"),
        row.get("scope_key") == null ? "" : text(row, "scope_key"),
        whole(row, "accepted"),
        whole(row, "completed"),
        whole(row, "completed_on_time"),
        whole(row, "completed_online"),
        whole(row, "completed_zero_visit"),
        decimal(row, "processing_hours_sum"),
        whole(row, "satisfaction_responses"),
        whole(row, "satisfaction_positive"),
        whole(row, "is_final") != 0,
        whole(row, "version"));
  }

  /** The table key: one row per (period, start, scope, key). */
  String id() {
    return id(period, periodStart, scope, scopeKey);
  }

  static String id(String period, LocalDate start, String scope, String key) {
    return period + '|' + start + '|' + scope + '|' + key;
  }

  private static String text(Map<String, Object> row, String column) {
    Object value = row.get(column);
    if (value == null) {
      throw new IllegalArgumentException("kpi_service row lacks column '" + column + "': " + row);
    }
    return value.toString();
  }

  private static LocalDate date(Map<String, Object> row, String column) {
    String value = text(row, column);
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "column '" + column + "' is '" + value + "'; expected a date YYYY-MM-DD", e);
    }
  }

  /** A count: a JSON number or, as ClickHouse writes UInt64, a numeric string; absent is 0. */
  private static long whole(Map<String, Object> row, String column) {
    Object value = row.get(column);
    if (value == null) {
      return 0;
    }
    if (value instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "column '" + column + "' is '" + value + "'; expected a whole number", e);
    }
  }

  private static double decimal(Map<String, Object> row, String column) {
    Object value = row.get(column);
    if (value == null) {
      return 0;
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "column '" + column + "' is '" + value + "'; expected a number", e);
    }
  }
}
