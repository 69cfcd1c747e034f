package cn.xingan.kpi.periods;

import java.io.Serializable;
import java.time.LocalDate;

/** One calendar period: its kind and its first and last local dates (both inclusive). */
public record Period(PeriodKind kind, LocalDate start, LocalDate end) implements Serializable {

  public Period {
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("period end " + end + " is before its start " + start);
    }
  }

  /** A compact, stable key such as {@code month:2026-06-01}, used for keyed state. */
  public String id() {
    return kind.code() + ":" + start;
  }

  /** The period of a {@link #id()}. */
  public static Period fromId(String id) {
    int colon = id.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "period id '" + id + "' has no ':'; expected e.g. month:2026-06-01");
    }
    return PeriodKind.fromCode(id.substring(0, colon))
        .of(java.time.LocalDate.parse(id.substring(colon + 1)));
  }

  /** Whether {@code day} lies in this period. */
  public boolean contains(LocalDate day) {
    return !day.isBefore(start) && !day.isAfter(end);
  }
}
