package cn.xingan.kpi.periods;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Calendar periods in a configured zone. An instant becomes a local date in the zone, and a period
 * ends at the first instant of the local day after its last date ({@code atStartOfDay}, which
 * handles DST gaps and overlaps): never a fixed hour offset.
 */
public final class CalendarPeriods implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ZoneId zone;

  public CalendarPeriods(ZoneId zone) {
    if (zone == null) {
      throw new IllegalArgumentException("zone must not be null");
    }
    this.zone = zone;
  }

  public ZoneId zone() {
    return zone;
  }

  /** The local date of an instant in this zone. */
  public LocalDate localDate(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).atZone(zone).toLocalDate();
  }

  /** The periods of every kind that contain the instant, in {@link PeriodKind} order. */
  public List<Period> periodsOf(long epochMillis) {
    LocalDate day = localDate(epochMillis);
    List<Period> periods = new ArrayList<>(PeriodKind.values().length);
    for (PeriodKind kind : PeriodKind.values()) {
      periods.add(kind.of(day));
    }
    return periods;
  }

  /** The first instant of a local date in this zone, in epoch millis. */
  public long startOfDayMillis(LocalDate day) {
    return day.atStartOfDay(zone).toInstant().toEpochMilli();
  }

  /** The first instant after the period: midnight starting the day after its last date. */
  public long endExclusiveMillis(Period period) {
    return startOfDayMillis(period.end().plusDays(1));
  }

  /**
   * The earliest end among the periods of an instant: once the watermark passes it plus the allowed
   * lateness, one of the event's rows is final and the event can no longer count.
   */
  public long earliestEndExclusiveMillis(long epochMillis) {
    long earliest = Long.MAX_VALUE;
    for (Period period : periodsOf(epochMillis)) {
      earliest = Math.min(earliest, endExclusiveMillis(period));
    }
    return earliest;
  }
}
