package cn.xingan.kpi.market;

import cn.xingan.kpi.kpi.Columns;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** One row of {@code kpi_market}, column for column (see CONTRACT.md §3). */
public record MarketKpiRow(
    String period,
    LocalDate periodStart,
    LocalDate periodEnd,
    String scope,
    String scopeKey,
    int marketsReporting,
    long observations,
    long stallsOccupiedSum,
    long stallsTotalSum,
    long stallsOccupiedPeak,
    int marketsOperating,
    int marketsUpgrading,
    int marketsClosed,
    long workersRegisteredLatest,
    long jobsMatched,
    long events,
    boolean isFinal,
    long version,
    long updatedAtMillis) {

  /** The columns ClickHouse would refuse (see {@link cn.xingan.kpi.kpi.RowGuard}). */
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    Columns.date(p, "period_start", periodStart);
    Columns.date(p, "period_end", periodEnd);
    Columns.uint32(p, "markets_reporting", marketsReporting);
    Columns.uint64(p, "observations", observations);
    Columns.uint64(p, "stalls_occupied_sum", stallsOccupiedSum);
    Columns.uint64(p, "stalls_total_sum", stallsTotalSum);
    Columns.uint64(p, "stalls_occupied_peak", stallsOccupiedPeak);
    Columns.uint32(p, "markets_operating", marketsOperating);
    Columns.uint32(p, "markets_upgrading", marketsUpgrading);
    Columns.uint32(p, "markets_closed", marketsClosed);
    Columns.uint64(p, "workers_registered_latest", workersRegisteredLatest);
    Columns.uint64(p, "jobs_matched", jobsMatched);
    Columns.uint64(p, "events", events);
    Columns.uint64(p, "version", version);
    Columns.dateTime(p, "updated_at", updatedAtMillis);
    return p;
  }
}
