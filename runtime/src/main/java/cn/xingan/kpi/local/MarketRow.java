package cn.xingan.kpi.local;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * One `kpi_market` row as read back from ClickHouse JSONEachRow, where UInt64 columns may arrive as
 * quoted strings and the rest as numbers; this turns either into typed values once, so the table
 * code does arithmetic, not parsing.
 */
record MarketRow(
    String period,
    LocalDate periodStart,
    String scope,
    String scopeKey,
    long marketsReporting,
    long observations,
    long stallsOccupiedSum,
    long stallsTotalSum,
    long stallsOccupiedPeak,
    long marketsOperating,
    long marketsUpgrading,
    long marketsClosed,
    long workersRegisteredLatest,
    long jobsMatched,
    boolean isFinal,
    long version) {

  static MarketRow of(Map<String, Object> row) {
    return new MarketRow(
        text(row, "period"),
        date(row, "period_start"),
        text(row, "scope"),
        row.get("scope_key") == null ? "" : text(row, "scope_key"),
        whole(row, "markets_reporting"),
        whole(row, "observations"),
        whole(row, "stalls_occupied_sum"),
        whole(row, "stalls_total_sum"),
        whole(row, "stalls_occupied_peak"),
        whole(row, "markets_operating"),
        whole(row, "markets_upgrading"),
        whole(row, "markets_closed"),
        whole(row, "workers_registered_latest"),
        whole(row, "jobs_matched"),
        whole(row, "is_final") != 0,
        whole(row, "version"));
  }

  /** The table key: one row per (period, start, scope, key). */
  String id() {
    return KpiRow.id(period, periodStart, scope, scopeKey);
  }

  private static String text(Map<String, Object> row, String column) {
    Object value = row.get(column);
    if (value == null) {
      throw new IllegalArgumentException("kpi_market row lacks column '" + column + "': " + row);
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
}
