package cn.xingan.kpi.periods;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link CalendarDay} of an instant, with the zone conversion and the period arithmetic done
 * once per local day instead of once per event: events arrive mostly in time order, so the last day
 * answers nearly every call; the others come from a small map of recent days. Like Flink's slice
 * assigners it turns an event time into its slice (here the local day) cheaply; unlike them it
 * cannot use fixed-size arithmetic, because local days are 23, 24 or 25 hours long.
 *
 * <p>Not thread-safe and not serializable: each operator instance makes its own in {@code open}.
 */
public final class CalendarDays {
  /** Days kept besides the last one; a backfill in random order touches a year's days at most. */
  private static final int MAX_CACHED = 4096;

  private final Finality finality;
  private final CalendarPeriods calendar;
  private final Map<Long, CalendarDay> recent = new HashMap<>();
  private CalendarDay last;

  public CalendarDays(Finality finality) {
    this.finality = finality;
    this.calendar = finality.calendar();
  }

  /** The local day that contains the instant. */
  public CalendarDay of(long epochMillis) {
    CalendarDay day = last;
    if (day != null && day.contains(epochMillis)) {
      return day;
    }
    LocalDate date = calendar.localDate(epochMillis);
    day = recent.get(date.toEpochDay());
    if (day == null) {
      if (recent.size() >= MAX_CACHED) {
        recent.clear();
      }
      day = compute(date);
      recent.put(date.toEpochDay(), day);
    }
    last = day;
    return day;
  }

  private CalendarDay compute(LocalDate date) {
    long start = calendar.startOfDayMillis(date);
    List<Period> periods = calendar.periodsOf(start);
    long earliestEnd = Long.MAX_VALUE;
    for (Period p : periods) {
      earliestEnd = Math.min(earliestEnd, calendar.endExclusiveMillis(p));
    }
    return new CalendarDay(
        date,
        start,
        calendar.startOfDayMillis(date.plusDays(1)),
        List.copyOf(periods),
        finality.finalAfter(earliestEnd));
  }
}
