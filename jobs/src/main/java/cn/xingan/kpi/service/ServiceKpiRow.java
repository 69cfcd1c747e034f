package cn.xingan.kpi.service;

import java.time.LocalDate;

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
    long updatedAtMillis) {}
