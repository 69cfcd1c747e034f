package cn.xingan.kpi.project;

import java.time.LocalDate;

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
    long updatedAtMillis) {}
