package cn.xingan.kpi.local;

import java.time.LocalDate;
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
        RowValues.text("kpi_market", row, "period"),
        RowValues.date("kpi_market", row, "period_start"),
        RowValues.text("kpi_market", row, "scope"),
        row.get("scope_key") == null ? "" : RowValues.text("kpi_market", row, "scope_key"),
        RowValues.whole(row, "markets_reporting"),
        RowValues.whole(row, "observations"),
        RowValues.whole(row, "stalls_occupied_sum"),
        RowValues.whole(row, "stalls_total_sum"),
        RowValues.whole(row, "stalls_occupied_peak"),
        RowValues.whole(row, "markets_operating"),
        RowValues.whole(row, "markets_upgrading"),
        RowValues.whole(row, "markets_closed"),
        RowValues.whole(row, "workers_registered_latest"),
        RowValues.whole(row, "jobs_matched"),
        RowValues.whole(row, "is_final") != 0,
        RowValues.whole(row, "version"));
  }

  /** The table key: one row per (period, start, scope, key). */
  String id() {
    return KpiRow.id(period, periodStart, scope, scopeKey);
  }
}
