package cn.xingan.kpi.periods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The period kinds on plain local dates (no zone): the `period` column codes of the contract, the
 * error for a bad code, hand-picked dates, and a day-by-day sweep of several years against a simple
 * oracle written from the contract's table, so a wrong month length or week start cannot hide.
 */
class PeriodKindTest {

  private static LocalDate date(String isoDate) {
    return LocalDate.parse(isoDate);
  }

  @Test
  void codesAreTheContractsPeriodValuesInOrder() {
    assertThat(PeriodKind.values())
        .extracting(PeriodKind::code)
        .containsExactly("week", "half_month", "month", "quarter", "year");
  }

  @ParameterizedTest
  @CsvSource({
    "week, WEEK",
    "half_month, HALF_MONTH",
    "month, MONTH",
    "quarter, QUARTER",
    "year, YEAR"
  })
  void fromCodeParsesEveryContractValue(String code, PeriodKind expected) {
    assertThat(PeriodKind.fromCode(code)).isEqualTo(expected);
  }

  @Test
  void fromCodeNamesTheBadValueAndTheAcceptedOnes() {
    assertThatThrownBy(() -> PeriodKind.fromCode("fortnight"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'fortnight'")
        .hasMessageContaining("week, half_month, month, quarter, year");
  }

  @ParameterizedTest
  @ValueSource(strings = {"WEEK", "half-month", "halfmonth", " week", ""})
  void fromCodeIsExactAboutSpellingAndCase(String code) {
    assertThatThrownBy(() -> PeriodKind.fromCode(code))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + code + "'");
  }

  @Test
  void fromCodeRejectsNullByName() {
    assertThatThrownBy(() -> PeriodKind.fromCode(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'null'");
  }

  @ParameterizedTest(name = "{0} {1} -> {2}..{3}")
  @CsvSource({
    // Half months: the 15th closes the first half, the 16th opens the second.
    "HALF_MONTH, 2026-06-15, 2026-06-01, 2026-06-15",
    "HALF_MONTH, 2026-06-16, 2026-06-16, 2026-06-30",
    "HALF_MONTH, 2026-06-01, 2026-06-01, 2026-06-15",
    "HALF_MONTH, 2026-06-30, 2026-06-16, 2026-06-30",
    "HALF_MONTH, 2026-01-31, 2026-01-16, 2026-01-31",
    "HALF_MONTH, 2026-02-28, 2026-02-16, 2026-02-28",
    "HALF_MONTH, 2028-02-29, 2028-02-16, 2028-02-29",
    "HALF_MONTH, 2028-02-28, 2028-02-16, 2028-02-29",
    // Months.
    "MONTH, 2026-02-14, 2026-02-01, 2026-02-28",
    "MONTH, 2028-02-14, 2028-02-01, 2028-02-29",
    "MONTH, 2026-04-30, 2026-04-01, 2026-04-30",
    "MONTH, 2026-12-31, 2026-12-01, 2026-12-31",
    // ISO weeks, Monday to Sunday; week 53 of 2026 crosses the year.
    "WEEK, 2026-06-15, 2026-06-15, 2026-06-21",
    "WEEK, 2026-06-21, 2026-06-15, 2026-06-21",
    "WEEK, 2026-12-28, 2026-12-28, 2027-01-03",
    "WEEK, 2027-01-01, 2026-12-28, 2027-01-03",
    "WEEK, 2027-01-03, 2026-12-28, 2027-01-03",
    "WEEK, 2027-01-04, 2027-01-04, 2027-01-10",
    "WEEK, 2028-02-29, 2028-02-28, 2028-03-05",
    // Quarters, on both sides of each edge.
    "QUARTER, 2026-03-31, 2026-01-01, 2026-03-31",
    "QUARTER, 2026-04-01, 2026-04-01, 2026-06-30",
    "QUARTER, 2026-06-30, 2026-04-01, 2026-06-30",
    "QUARTER, 2026-07-01, 2026-07-01, 2026-09-30",
    "QUARTER, 2026-09-30, 2026-07-01, 2026-09-30",
    "QUARTER, 2026-10-01, 2026-10-01, 2026-12-31",
    "QUARTER, 2026-12-31, 2026-10-01, 2026-12-31",
    // Years.
    "YEAR, 2026-12-31, 2026-01-01, 2026-12-31",
    "YEAR, 2027-01-01, 2027-01-01, 2027-12-31",
    "YEAR, 2028-02-29, 2028-01-01, 2028-12-31",
  })
  void handPickedDates(PeriodKind kind, String day, String start, String end) {
    assertThat(kind.start(date(day))).isEqualTo(date(start));
    assertThat(kind.end(date(day))).isEqualTo(date(end));
    assertThat(kind.of(date(day))).isEqualTo(new Period(kind, date(start), date(end)));
  }

  /**
   * Every day from 2024 (leap) to 2032 (leap) against an oracle built from the contract's table
   * with different means (ISO week fields, month lengths, quarter-of-year).
   */
  @Test
  void everyDayOfNineYearsMatchesTheOracle() {
    for (LocalDate day = date("2024-01-01");
        !day.isAfter(date("2032-12-31"));
        day = day.plusDays(1)) {
      for (PeriodKind kind : PeriodKind.values()) {
        Period expected = oracle(kind, day);
        assertThat(kind.of(day)).as("%s of %s", kind, day).isEqualTo(expected);
      }
    }
  }

  /** Consecutive days either share a period or the first closes one and the second opens one. */
  @Test
  void periodsTileTheCalendarWithoutGapsOrOverlaps() {
    for (LocalDate day = date("2025-12-01");
        day.isBefore(date("2029-01-31"));
        day = day.plusDays(1)) {
      LocalDate next = day.plusDays(1);
      for (PeriodKind kind : PeriodKind.values()) {
        Period current = kind.of(day);
        Period following = kind.of(next);
        if (!current.equals(following)) {
          assertThat(current.end()).as("%s of %s", kind, day).isEqualTo(day);
          assertThat(following.start()).as("%s of %s", kind, next).isEqualTo(next);
        } else {
          assertThat(current.contains(next)).isTrue();
        }
      }
    }
  }

  private static Period oracle(PeriodKind kind, LocalDate day) {
    int year = day.getYear();
    int month = day.getMonthValue();
    switch (kind) {
      case WEEK:
        {
          LocalDate monday = day;
          while (monday.getDayOfWeek() != DayOfWeek.MONDAY) {
            monday = monday.minusDays(1);
          }
          LocalDate sunday = monday.plusDays(6);
          // The whole week has the date's ISO week number, even across a year end.
          assertThat(monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR))
              .isEqualTo(day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
          assertThat(sunday.getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
          return new Period(kind, monday, sunday);
        }
      case HALF_MONTH:
        return day.getDayOfMonth() <= 15
            ? new Period(kind, LocalDate.of(year, month, 1), LocalDate.of(year, month, 15))
            : new Period(
                kind,
                LocalDate.of(year, month, 16),
                LocalDate.of(year, month, day.lengthOfMonth()));
      case MONTH:
        return new Period(
            kind, LocalDate.of(year, month, 1), LocalDate.of(year, month, day.lengthOfMonth()));
      case QUARTER:
        {
          int quarter = day.get(IsoFields.QUARTER_OF_YEAR);
          LocalDate lastMonth = LocalDate.of(year, quarter * 3, 1);
          return new Period(
              kind,
              LocalDate.of(year, quarter * 3 - 2, 1),
              LocalDate.of(year, quarter * 3, lastMonth.lengthOfMonth()));
        }
      case YEAR:
        return new Period(kind, LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31));
      default:
        throw new AssertionError("no oracle for " + kind);
    }
  }

  @Test
  void periodIdIsKindCodeAndStart() {
    assertThat(new Period(PeriodKind.MONTH, date("2026-06-01"), date("2026-06-30")).id())
        .isEqualTo("month:2026-06-01");
    assertThat(new Period(PeriodKind.HALF_MONTH, date("2026-06-16"), date("2026-06-30")).id())
        .isEqualTo("half_month:2026-06-16");
    assertThat(new Period(PeriodKind.WEEK, date("2026-12-28"), date("2027-01-03")).id())
        .isEqualTo("week:2026-12-28");
  }

  @Test
  void periodContainsBothEndsAndNothingOutside() {
    Period firstHalf = new Period(PeriodKind.HALF_MONTH, date("2026-06-01"), date("2026-06-15"));
    assertThat(firstHalf.contains(date("2026-05-31"))).isFalse();
    assertThat(firstHalf.contains(date("2026-06-01"))).isTrue();
    assertThat(firstHalf.contains(date("2026-06-15"))).isTrue();
    assertThat(firstHalf.contains(date("2026-06-16"))).isFalse();
  }

  @Test
  void periodRejectsAnEndBeforeItsStartNamingBoth() {
    assertThatThrownBy(() -> new Period(PeriodKind.WEEK, date("2026-06-21"), date("2026-06-15")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2026-06-15")
        .hasMessageContaining("2026-06-21");
  }
}
