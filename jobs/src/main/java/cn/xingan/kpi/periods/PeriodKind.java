package cn.xingan.kpi.periods;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;

/**
 * The five calendar period kinds of the contract. Each maps a local date to the first and last
 * local date of the period containing it; time zones are handled by {@link CalendarPeriods}.
 */
public enum PeriodKind {
  WEEK("week") {
    @Override
    public LocalDate start(LocalDate day) {
      return day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    @Override
    public LocalDate end(LocalDate day) {
      return start(day).plusDays(6);
    }
  },
  HALF_MONTH("half_month") {
    @Override
    public LocalDate start(LocalDate day) {
      return day.withDayOfMonth(day.getDayOfMonth() <= 15 ? 1 : 16);
    }

    @Override
    public LocalDate end(LocalDate day) {
      return day.getDayOfMonth() <= 15
          ? day.withDayOfMonth(15)
          : day.with(TemporalAdjusters.lastDayOfMonth());
    }
  },
  MONTH("month") {
    @Override
    public LocalDate start(LocalDate day) {
      return day.withDayOfMonth(1);
    }

    @Override
    public LocalDate end(LocalDate day) {
      return day.with(TemporalAdjusters.lastDayOfMonth());
    }
  },
  QUARTER("quarter") {
    @Override
    public LocalDate start(LocalDate day) {
      int firstMonth = (day.getMonthValue() - 1) / 3 * 3 + 1;
      return LocalDate.of(day.getYear(), firstMonth, 1);
    }

    @Override
    public LocalDate end(LocalDate day) {
      return start(day).plusMonths(3).minusDays(1);
    }
  },
  YEAR("year") {
    @Override
    public LocalDate start(LocalDate day) {
      return day.withDayOfYear(1);
    }

    @Override
    public LocalDate end(LocalDate day) {
      return LocalDate.of(day.getYear(), 12, 31);
    }
  };

  private final String code;

  PeriodKind(String code) {
    this.code = code;
  }

  /** The value of the `period` column. */
  public String code() {
    return code;
  }

  /** First local date of the period that contains {@code day}. */
  public abstract LocalDate start(LocalDate day);

  /** Last local date (inclusive) of the period that contains {@code day}. */
  public abstract LocalDate end(LocalDate day);

  /** The period of this kind that contains {@code day}. */
  public Period of(LocalDate day) {
    return new Period(this, start(day), end(day));
  }

  /** Parses a `period` column value, naming the accepted values when it is not one. */
  public static PeriodKind fromCode(String code) {
    for (PeriodKind kind : values()) {
      if (kind.code.equals(code)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown period '" + code + "'; expected one of week, half_month, month, quarter, year");
  }
}
