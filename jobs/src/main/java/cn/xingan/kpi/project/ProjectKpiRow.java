package cn.xingan.kpi.project;

import cn.xingan.kpi.kpi.Columns;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of {@code kpi_project}, column for column (CONTRACT.md §3); money in fen, progress as a
 * percentage.
 */
public record ProjectKpiRow(
    String period,
    LocalDate periodStart,
    LocalDate periodEnd,
    String scope,
    String scopeKey,
    long projects,
    long plannedYearCents,
    long investmentCents,
    long investmentYtdCents,
    long projectsReporting,
    long started,
    long halfComplete,
    long trialRun,
    long inProduction,
    long completed,
    double progressPctAvg,
    long events,
    boolean isFinal,
    long version,
    long updatedAtMillis) {

  /** The columns ClickHouse would refuse (see {@link cn.xingan.kpi.kpi.RowGuard}). */
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    Columns.date(p, "period_start", periodStart);
    Columns.date(p, "period_end", periodEnd);
    Columns.uint32(p, "projects", projects);
    Columns.money(p, "planned_year_cny", plannedYearCents, false);
    Columns.money(p, "investment_cny", investmentCents, true);
    Columns.money(p, "investment_ytd_cny", investmentYtdCents, true);
    Columns.uint32(p, "projects_reporting", projectsReporting);
    Columns.uint32(p, "started", started);
    Columns.uint32(p, "half_complete", halfComplete);
    Columns.uint32(p, "trial_run", trialRun);
    Columns.uint32(p, "in_production", inProduction);
    Columns.uint32(p, "completed", completed);
    Columns.finite(p, "progress_pct_avg", progressPctAvg);
    Columns.uint64(p, "events", events);
    Columns.uint64(p, "version", version);
    Columns.dateTime(p, "updated_at", updatedAtMillis);
    return p;
  }
}
