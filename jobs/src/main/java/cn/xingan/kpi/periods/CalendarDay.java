package cn.xingan.kpi.periods;

import java.time.LocalDate;
import java.util.List;

/**
 * One local day of the configured zone with what the jobs ask of it for every event: its first
 * instant, the first instant of the next day, the periods of every kind that contain it, and when
 * the first of them becomes final. Computed once per day by {@link CalendarDays}, not once per
 * event.
 *
 * @param startMillis the first instant of the day ({@code atStartOfDay}, DST-safe)
 * @param endExclusiveMillis the first instant of the next day
 * @param periods the periods of every kind containing the day, in {@link PeriodKind} order
 * @param earliestFinalAt when the first of {@code periods} is final (see {@link Finality})
 */
public record CalendarDay(
    LocalDate date,
    long startMillis,
    long endExclusiveMillis,
    List<Period> periods,
    long earliestFinalAt) {

  /** Whether an event of this day is too late to count at this watermark (see {@link Finality}). */
  public boolean isLate(long watermark) {
    return watermark != Long.MIN_VALUE && watermark >= earliestFinalAt;
  }

  public boolean contains(long epochMillis) {
    return epochMillis >= startMillis && epochMillis < endExclusiveMillis;
  }
}
