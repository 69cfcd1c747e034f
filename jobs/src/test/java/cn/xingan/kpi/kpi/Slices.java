package cn.xingan.kpi.kpi;

import cn.xingan.kpi.periods.CalendarPeriods;

/** Test input for the KPI functions: one event as the day slice of one scope key. */
public final class Slices {
  private Slices() {}

  public static <E, ACC extends PeriodAccumulator> DaySlice<ACC> of(
      ScopeKey scope, E event, SliceFigures<E, ACC> figures, CalendarPeriods calendar) {
    ACC acc = figures.create();
    figures.add(acc, event);
    acc.events = 1;
    acc.lastEvent = figures.eventId(event);
    long dayStart = calendar.startOfDayMillis(calendar.localDate(figures.eventTime(event)));
    return new DaySlice<>(scope, dayStart, acc);
  }
}
