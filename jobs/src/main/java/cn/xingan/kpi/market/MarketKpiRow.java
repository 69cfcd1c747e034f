package cn.xingan.kpi.market;

import java.time.LocalDate;

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
    long updatedAtMillis) {}
