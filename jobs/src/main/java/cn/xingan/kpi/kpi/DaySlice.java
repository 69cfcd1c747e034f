package cn.xingan.kpi.kpi;

/**
 * The partial figures of one scope key over one local day, built by {@link PreAggregate} before the
 * shuffle and merged into every period containing the day by a {@link RollingPeriodFunction}: what
 * crosses the network instead of each event once per scope.
 *
 * @param dayStart the first instant of the local day (epoch millis)
 * @param figures the day's figures so far in this batch, with {@code events} the events they hold
 */
public record DaySlice<ACC extends PeriodAccumulator>(ScopeKey scope, long dayStart, ACC figures) {}
