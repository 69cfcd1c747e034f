package cn.xingan.kpi.periods;

import java.io.Serializable;
import java.time.Duration;
import java.time.LocalDate;

/**
 * When a period's rows become final: once the watermark passes the period's end plus the allowed
 * lateness. The gate ({@code AdmitEvents}: an event is late when one of its periods is final), the
 * duplicate filter (how long to remember an id), the KPI functions (when to emit the final row) and
 * the project tracker (which events can still arrive) all ask this one class, so their answers
 * cannot drift apart. Sums saturate at the end of time: a lateness of centuries means "never
 * final", not an overflow into the past.
 */
public final class Finality implements Serializable {
  private static final long serialVersionUID = 1L;

  private final CalendarPeriods calendar;
  private final long latenessMillis;

  public Finality(CalendarPeriods calendar, Duration allowedLateness) {
    if (allowedLateness.isNegative()) {
      throw new IllegalArgumentException(
          "allowed lateness " + allowedLateness + " is negative; expected 0 or more");
    }
    this.calendar = calendar;
    this.latenessMillis = allowedLateness.toMillis();
  }

  public CalendarPeriods calendar() {
    return calendar;
  }

  /** The event time at which the period's rows become final. */
  public long finalAt(Period period) {
    return finalAfter(calendar.endExclusiveMillis(period));
  }

  /**
   * The event time at which every period that ends by {@code endExclusive} (the first instant after
   * its last day) is final.
   */
  public long finalAfter(long endExclusive) {
    return plus(endExclusive, latenessMillis);
  }

  /**
   * The event time at which the first of the periods of {@code eventTime} becomes final (its week
   * or its half month): from then on an event at that time is late.
   */
  public long earliestFinalAt(long eventTime) {
    return finalAfter(calendar.earliestEndExclusiveMillis(eventTime));
  }

  /** Whether the period's rows are final at this watermark. */
  public boolean isFinal(Period period, long watermark) {
    return watermark != Long.MIN_VALUE && watermark >= finalAt(period);
  }

  /** Whether an event at {@code eventTime} is too late to count at this watermark. */
  public boolean isLate(long eventTime, long watermark) {
    return watermark != Long.MIN_VALUE && watermark >= earliestFinalAt(eventTime);
  }

  /**
   * The earliest event time that is not late at this watermark: every event before it is late,
   * every event at or after it is not. It is the start of the later of the week and the half month
   * that contain the watermark minus the lateness ({@link Long#MIN_VALUE} before any watermark,
   * {@link Long#MAX_VALUE} at the end of time, when everything is late).
   *
   * <p>Example (Asia/Shanghai, 7 days): at the watermark 2026-06-24 12:00, minus 7 days is
   * 2026-06-17 12:00; its week starts on Monday 06-15, its half month on 06-16, so events from
   * 2026-06-16 00:00 on may still come (the earliest of their periods, the week to 06-21, is final
   * on 06-29), and an event of 06-15 23:59 is late (its half month became final on 06-23).
   */
  public long admissibleFrom(long watermark) {
    if (watermark == Long.MIN_VALUE || watermark < Long.MIN_VALUE + latenessMillis) {
      return Long.MIN_VALUE;
    }
    if (watermark == Long.MAX_VALUE) {
      return Long.MAX_VALUE;
    }
    LocalDate day = calendar.localDate(watermark - latenessMillis);
    LocalDate week = PeriodKind.WEEK.start(day);
    LocalDate half = PeriodKind.HALF_MONTH.start(day);
    return calendar.startOfDayMillis(week.isAfter(half) ? week : half);
  }

  /** {@code at + millis}, held at {@link Long#MAX_VALUE} instead of overflowing. */
  public static long plus(long at, long millis) {
    return at > Long.MAX_VALUE - millis ? Long.MAX_VALUE : at + millis;
  }
}
