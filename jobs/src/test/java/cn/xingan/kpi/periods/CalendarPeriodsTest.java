package cn.xingan.kpi.periods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Pins the contract's calendar periods (CONTRACT.md section 2) at the instants where they are easy
 * to get wrong: local midnight seen from UTC, month, quarter and year ends, ISO week 53, a leap
 * day, another UTC offset, and DST in a zone that has it. Every expected date and instant below is
 * worked out by hand (weekdays and transitions checked against {@code cal} and {@code zdump}).
 */
class CalendarPeriodsTest {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId SAO_PAULO = ZoneId.of("America/Sao_Paulo");

  private final CalendarPeriods shanghai = new CalendarPeriods(SHANGHAI);
  private final CalendarPeriods berlin = new CalendarPeriods(BERLIN);

  /** An instant written in UTC ({@code Z}) or with any offset, as epoch millis. */
  private static long at(String isoInstant) {
    return OffsetDateTime.parse(isoInstant).toInstant().toEpochMilli();
  }

  private static LocalDate date(String isoDate) {
    return LocalDate.parse(isoDate);
  }

  /** The five periods of one event, in {@link PeriodKind} order, each as "first..last". */
  private static List<Period> periods(
      String week, String halfMonth, String month, String quarter, String year) {
    return List.of(
        period(PeriodKind.WEEK, week),
        period(PeriodKind.HALF_MONTH, halfMonth),
        period(PeriodKind.MONTH, month),
        period(PeriodKind.QUARTER, quarter),
        period(PeriodKind.YEAR, year));
  }

  private static Period period(PeriodKind kind, String range) {
    String[] dates = range.split("\\.\\.");
    return new Period(kind, date(dates[0]), date(dates[1]));
  }

  private static Period periodOfKind(List<Period> periods, PeriodKind kind) {
    return periods.stream().filter(p -> p.kind() == kind).findFirst().orElseThrow();
  }

  @Nested
  class HalfMonthBoundaryInShanghai {
    // Local midnight starting June 16 (UTC+8) is 16:00 UTC on June 15.
    static final String LAST_MILLI_OF_JUNE_15 = "2026-06-15T15:59:59.999Z";
    static final String MIDNIGHT_STARTING_JUNE_16 = "2026-06-15T16:00:00Z";
    static final String FIRST_MILLI_AFTER = "2026-06-15T16:00:00.001Z";

    @Test
    void justBeforeLocalMidnightIsInTheFirstHalf() {
      long t = at(LAST_MILLI_OF_JUNE_15);
      assertThat(shanghai.localDate(t)).isEqualTo(date("2026-06-15"));
      // June 15 2026 is a Monday: the week already turned, the half month has not.
      assertThat(shanghai.periodsOf(t))
          .containsExactlyElementsOf(
              periods(
                  "2026-06-15..2026-06-21",
                  "2026-06-01..2026-06-15",
                  "2026-06-01..2026-06-30",
                  "2026-04-01..2026-06-30",
                  "2026-01-01..2026-12-31"));
    }

    @Test
    void atLocalMidnightIsInTheSecondHalf() {
      long t = at(MIDNIGHT_STARTING_JUNE_16);
      assertThat(shanghai.localDate(t)).isEqualTo(date("2026-06-16"));
      assertThat(shanghai.periodsOf(t))
          .containsExactlyElementsOf(
              periods(
                  "2026-06-15..2026-06-21",
                  "2026-06-16..2026-06-30",
                  "2026-06-01..2026-06-30",
                  "2026-04-01..2026-06-30",
                  "2026-01-01..2026-12-31"));
    }

    @Test
    void justAfterLocalMidnightIsInTheSecondHalf() {
      long t = at(FIRST_MILLI_AFTER);
      assertThat(periodOfKind(shanghai.periodsOf(t), PeriodKind.HALF_MONTH))
          .isEqualTo(period(PeriodKind.HALF_MONTH, "2026-06-16..2026-06-30"));
    }

    @Test
    void firstHalfEndsExactlyAtTheLocalMidnightThatStartsTheSecond() {
      Period firstHalf = period(PeriodKind.HALF_MONTH, "2026-06-01..2026-06-15");
      assertThat(shanghai.endExclusiveMillis(firstHalf)).isEqualTo(at(MIDNIGHT_STARTING_JUNE_16));
    }

    @Test
    void theFifteenthAtNoonUtcIsStillTheFifteenthLocally() {
      // 12:00Z is 20:00 local: the same date. Only from 16:00Z does the local date move on.
      assertThat(shanghai.localDate(at("2026-06-15T12:00:00Z"))).isEqualTo(date("2026-06-15"));
      assertThat(shanghai.localDate(at("2026-06-14T16:00:00Z"))).isEqualTo(date("2026-06-15"));
      assertThat(shanghai.localDate(at("2026-06-14T15:59:59.999Z"))).isEqualTo(date("2026-06-14"));
    }
  }

  @Nested
  class MonthEndsInShanghai {
    @Test
    void january31AndFebruary1() {
      // Jan 31 2026 is a Saturday; Feb 1 the Sunday of the same ISO week.
      assertThat(shanghai.periodsOf(at("2026-01-31T15:59:59.999Z")))
          .containsExactlyElementsOf(
              periods(
                  "2026-01-26..2026-02-01",
                  "2026-01-16..2026-01-31",
                  "2026-01-01..2026-01-31",
                  "2026-01-01..2026-03-31",
                  "2026-01-01..2026-12-31"));
      assertThat(shanghai.periodsOf(at("2026-01-31T16:00:00Z")))
          .containsExactlyElementsOf(
              periods(
                  "2026-01-26..2026-02-01",
                  "2026-02-01..2026-02-15",
                  "2026-02-01..2026-02-28",
                  "2026-01-01..2026-03-31",
                  "2026-01-01..2026-12-31"));
    }

    @Test
    void february28In2026IsTheLastDayOfFebruary() {
      long lastMilli = at("2026-02-28T15:59:59.999Z");
      long march1 = at("2026-02-28T16:00:00Z");
      assertThat(shanghai.localDate(lastMilli)).isEqualTo(date("2026-02-28"));
      assertThat(periodOfKind(shanghai.periodsOf(lastMilli), PeriodKind.HALF_MONTH))
          .isEqualTo(period(PeriodKind.HALF_MONTH, "2026-02-16..2026-02-28"));
      assertThat(periodOfKind(shanghai.periodsOf(lastMilli), PeriodKind.MONTH))
          .isEqualTo(period(PeriodKind.MONTH, "2026-02-01..2026-02-28"));
      assertThat(shanghai.localDate(march1)).isEqualTo(date("2026-03-01"));
      assertThat(periodOfKind(shanghai.periodsOf(march1), PeriodKind.HALF_MONTH))
          .isEqualTo(period(PeriodKind.HALF_MONTH, "2026-03-01..2026-03-15"));
      assertThat(periodOfKind(shanghai.periodsOf(march1), PeriodKind.MONTH))
          .isEqualTo(period(PeriodKind.MONTH, "2026-03-01..2026-03-31"));
      assertThat(shanghai.endExclusiveMillis(period(PeriodKind.MONTH, "2026-02-01..2026-02-28")))
          .isEqualTo(march1);
    }

    @Test
    void april30AndMay1() {
      assertThat(periodOfKind(shanghai.periodsOf(at("2026-04-30T15:59:59.999Z")), PeriodKind.MONTH))
          .isEqualTo(period(PeriodKind.MONTH, "2026-04-01..2026-04-30"));
      assertThat(
              periodOfKind(
                  shanghai.periodsOf(at("2026-04-30T15:59:59.999Z")), PeriodKind.HALF_MONTH))
          .isEqualTo(period(PeriodKind.HALF_MONTH, "2026-04-16..2026-04-30"));
      assertThat(periodOfKind(shanghai.periodsOf(at("2026-04-30T16:00:00Z")), PeriodKind.MONTH))
          .isEqualTo(period(PeriodKind.MONTH, "2026-05-01..2026-05-31"));
      assertThat(periodOfKind(shanghai.periodsOf(at("2026-04-30T16:00:00.001Z")), PeriodKind.MONTH))
          .isEqualTo(period(PeriodKind.MONTH, "2026-05-01..2026-05-31"));
    }

    @Test
    void december31IsTheEndOfEveryLongPeriod() {
      // Dec 31 2026 is a Thursday of ISO week 53, which runs into 2027.
      assertThat(shanghai.periodsOf(at("2026-12-31T15:59:59.999Z")))
          .containsExactlyElementsOf(
              periods(
                  "2026-12-28..2027-01-03",
                  "2026-12-16..2026-12-31",
                  "2026-12-01..2026-12-31",
                  "2026-10-01..2026-12-31",
                  "2026-01-01..2026-12-31"));
      long newYear = at("2026-12-31T16:00:00Z");
      for (PeriodKind kind :
          List.of(PeriodKind.HALF_MONTH, PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)) {
        Period ending = periodOfKind(shanghai.periodsOf(at("2026-12-31T04:00:00Z")), kind);
        assertThat(shanghai.endExclusiveMillis(ending)).as(kind.code()).isEqualTo(newYear);
      }
    }
  }

  @Nested
  class IsoWeek53 {
    static final String NEW_YEARS_DAY_NOON_LOCAL = "2027-01-01T04:00:00Z";

    @Test
    void newYearsDayIsInTheWeekThatStartedInDecemberButInTheNewMonthQuarterAndYear() {
      long t = at(NEW_YEARS_DAY_NOON_LOCAL);
      assertThat(shanghai.localDate(t)).isEqualTo(date("2027-01-01"));
      assertThat(shanghai.periodsOf(t))
          .containsExactlyElementsOf(
              periods(
                  "2026-12-28..2027-01-03",
                  "2027-01-01..2027-01-15",
                  "2027-01-01..2027-01-31",
                  "2027-01-01..2027-03-31",
                  "2027-01-01..2027-12-31"));
    }

    @Test
    void week53StartsOnMondayDecember28AtLocalMidnight() {
      Period week53 = period(PeriodKind.WEEK, "2026-12-28..2027-01-03");
      assertThat(periodOfKind(shanghai.periodsOf(at("2026-12-27T15:59:59.999Z")), PeriodKind.WEEK))
          .isEqualTo(period(PeriodKind.WEEK, "2026-12-21..2026-12-27"));
      assertThat(periodOfKind(shanghai.periodsOf(at("2026-12-27T16:00:00Z")), PeriodKind.WEEK))
          .isEqualTo(week53);
      assertThat(periodOfKind(shanghai.periodsOf(at("2026-12-27T16:00:00.001Z")), PeriodKind.WEEK))
          .isEqualTo(week53);
    }

    @Test
    void week53EndsAtMidnightStartingMondayJanuary4() {
      Period week53 = period(PeriodKind.WEEK, "2026-12-28..2027-01-03");
      long january4 = at("2027-01-03T16:00:00Z");
      assertThat(shanghai.endExclusiveMillis(week53)).isEqualTo(january4);
      assertThat(periodOfKind(shanghai.periodsOf(january4 - 1), PeriodKind.WEEK)).isEqualTo(week53);
      assertThat(periodOfKind(shanghai.periodsOf(january4), PeriodKind.WEEK))
          .isEqualTo(period(PeriodKind.WEEK, "2027-01-04..2027-01-10"));
    }
  }

  @Nested
  class LeapDay2028 {
    @Test
    void february29IsTheLastDayOfTheSecondHalfAndTheMonth() {
      // Feb 29 2028 is a Tuesday.
      assertThat(shanghai.periodsOf(at("2028-02-29T15:59:59.999Z")))
          .containsExactlyElementsOf(
              periods(
                  "2028-02-28..2028-03-05",
                  "2028-02-16..2028-02-29",
                  "2028-02-01..2028-02-29",
                  "2028-01-01..2028-03-31",
                  "2028-01-01..2028-12-31"));
    }

    @Test
    void february28In2028IsNotTheEndOfTheMonth() {
      long t = at("2028-02-28T16:00:00Z");
      assertThat(shanghai.localDate(t)).isEqualTo(date("2028-02-29"));
      assertThat(shanghai.localDate(t - 1)).isEqualTo(date("2028-02-28"));
      assertThat(periodOfKind(shanghai.periodsOf(t - 1), PeriodKind.MONTH))
          .isEqualTo(period(PeriodKind.MONTH, "2028-02-01..2028-02-29"));
    }

    @Test
    void march1FollowsTheLeapDay() {
      long march1 = at("2028-02-29T16:00:00Z");
      assertThat(shanghai.localDate(march1)).isEqualTo(date("2028-03-01"));
      assertThat(periodOfKind(shanghai.periodsOf(march1), PeriodKind.HALF_MONTH))
          .isEqualTo(period(PeriodKind.HALF_MONTH, "2028-03-01..2028-03-15"));
      assertThat(
              shanghai.endExclusiveMillis(period(PeriodKind.HALF_MONTH, "2028-02-16..2028-02-29")))
          .isEqualTo(march1);
    }
  }

  @Nested
  class QuarterAndYearEdges {
    @Test
    void march31AndApril1() {
      assertThat(
              periodOfKind(shanghai.periodsOf(at("2026-03-31T15:59:59.999Z")), PeriodKind.QUARTER))
          .isEqualTo(period(PeriodKind.QUARTER, "2026-01-01..2026-03-31"));
      assertThat(periodOfKind(shanghai.periodsOf(at("2026-03-31T16:00:00Z")), PeriodKind.QUARTER))
          .isEqualTo(period(PeriodKind.QUARTER, "2026-04-01..2026-06-30"));
      assertThat(
              periodOfKind(shanghai.periodsOf(at("2026-03-31T16:00:00.001Z")), PeriodKind.QUARTER))
          .isEqualTo(period(PeriodKind.QUARTER, "2026-04-01..2026-06-30"));
    }

    @Test
    void june30AndJuly1() {
      assertThat(
              periodOfKind(shanghai.periodsOf(at("2026-06-30T15:59:59.999Z")), PeriodKind.QUARTER))
          .isEqualTo(period(PeriodKind.QUARTER, "2026-04-01..2026-06-30"));
      assertThat(periodOfKind(shanghai.periodsOf(at("2026-06-30T16:00:00Z")), PeriodKind.QUARTER))
          .isEqualTo(period(PeriodKind.QUARTER, "2026-07-01..2026-09-30"));
      assertThat(
              periodOfKind(shanghai.periodsOf(at("2026-06-30T16:00:00.001Z")), PeriodKind.QUARTER))
          .isEqualTo(period(PeriodKind.QUARTER, "2026-07-01..2026-09-30"));
    }

    @Test
    void september30AndOctober1() {
      assertThat(
              periodOfKind(shanghai.periodsOf(at("2026-09-30T15:59:59.999Z")), PeriodKind.QUARTER))
          .isEqualTo(period(PeriodKind.QUARTER, "2026-07-01..2026-09-30"));
      assertThat(periodOfKind(shanghai.periodsOf(at("2026-09-30T16:00:00Z")), PeriodKind.QUARTER))
          .isEqualTo(period(PeriodKind.QUARTER, "2026-10-01..2026-12-31"));
      assertThat(
              periodOfKind(shanghai.periodsOf(at("2026-09-30T16:00:00.001Z")), PeriodKind.QUARTER))
          .isEqualTo(period(PeriodKind.QUARTER, "2026-10-01..2026-12-31"));
    }

    @Test
    void quarterEndsAtLocalMidnightOfItsNextFirstDay() {
      assertThat(shanghai.endExclusiveMillis(period(PeriodKind.QUARTER, "2026-01-01..2026-03-31")))
          .isEqualTo(at("2026-03-31T16:00:00Z"));
      assertThat(shanghai.endExclusiveMillis(period(PeriodKind.QUARTER, "2026-04-01..2026-06-30")))
          .isEqualTo(at("2026-06-30T16:00:00Z"));
      assertThat(shanghai.endExclusiveMillis(period(PeriodKind.QUARTER, "2026-07-01..2026-09-30")))
          .isEqualTo(at("2026-09-30T16:00:00Z"));
    }

    @Test
    void yearTurnsAtLocalMidnightNotAtUtcMidnight() {
      assertThat(periodOfKind(shanghai.periodsOf(at("2026-12-31T15:59:59.999Z")), PeriodKind.YEAR))
          .isEqualTo(period(PeriodKind.YEAR, "2026-01-01..2026-12-31"));
      assertThat(periodOfKind(shanghai.periodsOf(at("2026-12-31T16:00:00Z")), PeriodKind.YEAR))
          .isEqualTo(period(PeriodKind.YEAR, "2027-01-01..2027-12-31"));
      assertThat(periodOfKind(shanghai.periodsOf(at("2026-12-31T16:00:00.001Z")), PeriodKind.YEAR))
          .isEqualTo(period(PeriodKind.YEAR, "2027-01-01..2027-12-31"));
      // At UTC midnight it has been 2027 in Shanghai for eight hours.
      assertThat(shanghai.localDate(at("2027-01-01T00:00:00Z"))).isEqualTo(date("2027-01-01"));
    }
  }

  @Nested
  class EventsWithAnotherUtcOffset {
    @Test
    void lateEveningJune30InUtcMinus5IsJuly1InShanghai() {
      // 23:30 at -05:00 is 04:30Z on July 1, i.e. 12:30 in Shanghai.
      long t = at("2026-06-30T23:30:00-05:00");
      assertThat(t).isEqualTo(at("2026-07-01T04:30:00Z"));
      assertThat(shanghai.localDate(t)).isEqualTo(date("2026-07-01"));
      // July 1 2026 is a Wednesday.
      assertThat(shanghai.periodsOf(t))
          .containsExactlyElementsOf(
              periods(
                  "2026-06-29..2026-07-05",
                  "2026-07-01..2026-07-15",
                  "2026-07-01..2026-07-31",
                  "2026-07-01..2026-09-30",
                  "2026-01-01..2026-12-31"));
    }

    @Test
    void theOffsetOfTheEventDoesNotMatterOnlyTheInstant() {
      // The same instant written three ways: 15:59:59 on June 15 in Shanghai.
      assertThat(shanghai.localDate(at("2026-06-15T23:59:59+08:00"))).isEqualTo(date("2026-06-15"));
      assertThat(shanghai.localDate(at("2026-06-15T15:59:59Z"))).isEqualTo(date("2026-06-15"));
      assertThat(shanghai.localDate(at("2026-06-16T01:59:59+10:00"))).isEqualTo(date("2026-06-15"));
      // And one second later, written at -05:00 on the 15th, it is the 16th in Shanghai.
      assertThat(shanghai.localDate(at("2026-06-15T11:00:00-05:00"))).isEqualTo(date("2026-06-16"));
    }
  }

  @Nested
  class BerlinSpringForward {
    // Clocks go from 02:00 CET (UTC+1) to 03:00 CEST (UTC+2) on Sunday 2026-03-29 at 01:00Z.
    static final Period WEEK_BEFORE = period(PeriodKind.WEEK, "2026-03-16..2026-03-22");
    static final Period WEEK_OF_CHANGE = period(PeriodKind.WEEK, "2026-03-23..2026-03-29");
    static final Period WEEK_AFTER = period(PeriodKind.WEEK, "2026-03-30..2026-04-05");

    @Test
    void weekBeforeTheChangeEndsAtMidnightCet() {
      assertThat(berlin.endExclusiveMillis(WEEK_BEFORE)).isEqualTo(at("2026-03-22T23:00:00Z"));
    }

    @Test
    void weekOfTheChangeEndsAtMidnightCestAndIs167HoursLong() {
      long start = berlin.startOfDayMillis(date("2026-03-23"));
      long end = berlin.endExclusiveMillis(WEEK_OF_CHANGE);
      assertThat(start).isEqualTo(at("2026-03-22T23:00:00Z"));
      assertThat(end).isEqualTo(at("2026-03-29T22:00:00Z"));
      assertThat(end - start).isEqualTo(167L * 3_600_000L);
    }

    @Test
    void theDayOfTheChangeIs23HoursLong() {
      assertThat(berlin.startOfDayMillis(date("2026-03-29"))).isEqualTo(at("2026-03-28T23:00:00Z"));
      assertThat(berlin.startOfDayMillis(date("2026-03-30"))).isEqualTo(at("2026-03-29T22:00:00Z"));
    }

    @Test
    void localDatesAroundTheGap() {
      assertThat(berlin.localDate(at("2026-03-29T00:59:59.999Z"))).isEqualTo(date("2026-03-29"));
      assertThat(berlin.localDate(at("2026-03-29T01:00:00Z"))).isEqualTo(date("2026-03-29"));
      assertThat(berlin.localDate(at("2026-03-28T22:59:59.999Z"))).isEqualTo(date("2026-03-28"));
    }

    @Test
    void weekBoundaryTripletAtMidnightCest() {
      assertThat(periodOfKind(berlin.periodsOf(at("2026-03-29T21:59:59.999Z")), PeriodKind.WEEK))
          .isEqualTo(WEEK_OF_CHANGE);
      assertThat(periodOfKind(berlin.periodsOf(at("2026-03-29T22:00:00Z")), PeriodKind.WEEK))
          .isEqualTo(WEEK_AFTER);
      assertThat(periodOfKind(berlin.periodsOf(at("2026-03-29T22:00:00.001Z")), PeriodKind.WEEK))
          .isEqualTo(WEEK_AFTER);
      // A fixed UTC+1 offset would have put 22:30Z (00:30 CEST, March 30) in the old week.
      assertThat(periodOfKind(berlin.periodsOf(at("2026-03-29T22:30:00Z")), PeriodKind.WEEK))
          .isEqualTo(WEEK_AFTER);
    }

    @Test
    void marchPeriodsEndAtMidnightCestStartingApril1() {
      long april1 = at("2026-03-31T22:00:00Z");
      assertThat(berlin.endExclusiveMillis(period(PeriodKind.HALF_MONTH, "2026-03-16..2026-03-31")))
          .isEqualTo(april1);
      assertThat(berlin.endExclusiveMillis(period(PeriodKind.MONTH, "2026-03-01..2026-03-31")))
          .isEqualTo(april1);
      assertThat(berlin.endExclusiveMillis(period(PeriodKind.QUARTER, "2026-01-01..2026-03-31")))
          .isEqualTo(april1);
      // The first half of March is entirely in winter time.
      assertThat(berlin.endExclusiveMillis(period(PeriodKind.HALF_MONTH, "2026-03-01..2026-03-15")))
          .isEqualTo(at("2026-03-15T23:00:00Z"));
    }
  }

  @Nested
  class BerlinFallBack {
    // Clocks go from 03:00 CEST (UTC+2) back to 02:00 CET (UTC+1) on Sunday 2026-10-25 at 01:00Z.
    static final Period WEEK_BEFORE = period(PeriodKind.WEEK, "2026-10-12..2026-10-18");
    static final Period WEEK_OF_CHANGE = period(PeriodKind.WEEK, "2026-10-19..2026-10-25");
    static final Period WEEK_AFTER = period(PeriodKind.WEEK, "2026-10-26..2026-11-01");

    @Test
    void weekBeforeTheChangeEndsAtMidnightCest() {
      assertThat(berlin.endExclusiveMillis(WEEK_BEFORE)).isEqualTo(at("2026-10-18T22:00:00Z"));
    }

    @Test
    void weekOfTheChangeEndsAtMidnightCetAndIs169HoursLong() {
      long start = berlin.startOfDayMillis(date("2026-10-19"));
      long end = berlin.endExclusiveMillis(WEEK_OF_CHANGE);
      assertThat(start).isEqualTo(at("2026-10-18T22:00:00Z"));
      assertThat(end).isEqualTo(at("2026-10-25T23:00:00Z"));
      assertThat(end - start).isEqualTo(169L * 3_600_000L);
    }

    @Test
    void theDayOfTheChangeIs25HoursLong() {
      assertThat(berlin.startOfDayMillis(date("2026-10-25"))).isEqualTo(at("2026-10-24T22:00:00Z"));
      assertThat(berlin.startOfDayMillis(date("2026-10-26"))).isEqualTo(at("2026-10-25T23:00:00Z"));
    }

    @Test
    void bothReadingsOfTheRepeatedHourAreOnOctober25() {
      // 00:30Z is 02:30 CEST, 01:30Z is 02:30 CET: the same wall clock time, twice.
      assertThat(berlin.localDate(at("2026-10-25T00:30:00Z"))).isEqualTo(date("2026-10-25"));
      assertThat(berlin.localDate(at("2026-10-25T01:30:00Z"))).isEqualTo(date("2026-10-25"));
    }

    @Test
    void weekBoundaryTripletAtMidnightCet() {
      assertThat(periodOfKind(berlin.periodsOf(at("2026-10-25T22:59:59.999Z")), PeriodKind.WEEK))
          .isEqualTo(WEEK_OF_CHANGE);
      assertThat(periodOfKind(berlin.periodsOf(at("2026-10-25T23:00:00Z")), PeriodKind.WEEK))
          .isEqualTo(WEEK_AFTER);
      assertThat(periodOfKind(berlin.periodsOf(at("2026-10-25T23:00:00.001Z")), PeriodKind.WEEK))
          .isEqualTo(WEEK_AFTER);
      // A fixed UTC+2 offset would have put 22:30Z (23:30 CET, still October 25) in the new week.
      assertThat(periodOfKind(berlin.periodsOf(at("2026-10-25T22:30:00Z")), PeriodKind.WEEK))
          .isEqualTo(WEEK_OF_CHANGE);
    }

    @Test
    void octoberEndsAtMidnightCetAndTheYearAlso() {
      long november1 = at("2026-10-31T23:00:00Z");
      assertThat(berlin.endExclusiveMillis(period(PeriodKind.MONTH, "2026-10-01..2026-10-31")))
          .isEqualTo(november1);
      assertThat(berlin.endExclusiveMillis(period(PeriodKind.HALF_MONTH, "2026-10-16..2026-10-31")))
          .isEqualTo(november1);
      // The first half of October ends in summer time.
      assertThat(berlin.endExclusiveMillis(period(PeriodKind.HALF_MONTH, "2026-10-01..2026-10-15")))
          .isEqualTo(at("2026-10-15T22:00:00Z"));
      assertThat(berlin.endExclusiveMillis(period(PeriodKind.YEAR, "2026-01-01..2026-12-31")))
          .isEqualTo(at("2026-12-31T23:00:00Z"));
    }
  }

  @Nested
  class MidnightInsideADstGap {
    // Sao Paulo sprang forward at local midnight on 2018-11-04: 00:00 -03:00 became 01:00 -02:00,
    // so that day has no 00:00 and starts at 01:00 (03:00Z).
    private final CalendarPeriods saoPaulo = new CalendarPeriods(SAO_PAULO);

    @Test
    void aDayWithoutMidnightStartsAtItsFirstExistingInstant() {
      assertThat(saoPaulo.startOfDayMillis(date("2018-11-04")))
          .isEqualTo(at("2018-11-04T03:00:00Z"));
      assertThat(saoPaulo.localDate(at("2018-11-04T02:59:59.999Z"))).isEqualTo(date("2018-11-03"));
      assertThat(saoPaulo.localDate(at("2018-11-04T03:00:00Z"))).isEqualTo(date("2018-11-04"));
    }

    @Test
    void weeksAroundTheGapEndAtTheirNextLocalMidnight() {
      // Sun 2018-11-04 closes the week Oct 29 .. Nov 4, which ends at 00:00 -02:00 on Nov 5; the
      // week before ends at 00:00 -03:00 on Oct 29.
      assertThat(saoPaulo.endExclusiveMillis(period(PeriodKind.WEEK, "2018-10-29..2018-11-04")))
          .isEqualTo(at("2018-11-05T02:00:00Z"));
      assertThat(saoPaulo.endExclusiveMillis(period(PeriodKind.WEEK, "2018-10-22..2018-10-28")))
          .isEqualTo(at("2018-10-29T03:00:00Z"));
    }
  }

  @Nested
  class EarliestEnd {
    @Test
    void midWeekInTheFirstHalfTheWeekEndsFirst() {
      // Wed 2026-06-10: week Jun 8..14 ends at 00:00 Jun 15 (16:00Z Jun 14); the half ends later.
      assertThat(shanghai.earliestEndExclusiveMillis(at("2026-06-10T04:00:00Z")))
          .isEqualTo(at("2026-06-14T16:00:00Z"));
    }

    @Test
    void onThe15thTheHalfMonthEndsFirst() {
      // Mon 2026-06-15: the half ends at 00:00 Jun 16 (16:00Z Jun 15), the week on Jun 22.
      assertThat(shanghai.earliestEndExclusiveMillis(at("2026-06-15T15:59:59.999Z")))
          .isEqualTo(at("2026-06-15T16:00:00Z"));
      // One milli later it is June 16: now the week (Jun 15..21) ends first, at 00:00 Jun 22.
      assertThat(shanghai.earliestEndExclusiveMillis(at("2026-06-15T16:00:00Z")))
          .isEqualTo(at("2026-06-21T16:00:00Z"));
    }

    @Test
    void onDecember31EverythingButTheWeekEndsAtNewYear() {
      assertThat(shanghai.earliestEndExclusiveMillis(at("2026-12-31T04:00:00Z")))
          .isEqualTo(at("2026-12-31T16:00:00Z"));
    }

    @Test
    void onNewYearsDayInWeek53TheWeekEndsFirst() {
      assertThat(shanghai.earliestEndExclusiveMillis(at("2027-01-01T04:00:00Z")))
          .isEqualTo(at("2027-01-03T16:00:00Z"));
    }

    @Test
    void inBerlinTheWeekOfTheSpringChangeEndsAtMidnightCest() {
      // Wed 2026-03-25: week Mar 23..29 ends at 22:00Z Mar 29; the half (Mar 16..31) later.
      assertThat(berlin.earliestEndExclusiveMillis(at("2026-03-25T12:00:00Z")))
          .isEqualTo(at("2026-03-29T22:00:00Z"));
    }

    @Test
    void isAlwaysAfterTheEventAndAtMostSevenDaysAhead() {
      // Every period contains the event's date, so the earliest end is in the future of the event
      // and no later than the end of its week.
      long t = at("2026-01-01T00:00:00Z");
      long step = 3_600_000L * 7 + 13; // an odd step, to visit many times of day
      for (; t < at("2027-01-10T00:00:00Z"); t += step) {
        long earliest = shanghai.earliestEndExclusiveMillis(t);
        assertThat(earliest).as(Instant.ofEpochMilli(t).toString()).isGreaterThan(t);
        assertThat(earliest - t).isLessThanOrEqualTo(7L * 24 * 3_600_000L);
      }
    }
  }

  @Nested
  class Construction {
    @Test
    void zoneIsRequired() {
      assertThatThrownBy(() -> new CalendarPeriods(null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("zone");
    }

    @Test
    void keepsItsZone() {
      assertThat(shanghai.zone()).isEqualTo(SHANGHAI);
    }

    @Test
    void survivesJavaSerializationAsFlinkFunctionsNeed() throws Exception {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(berlin);
      }
      CalendarPeriods copy;
      try (ObjectInputStream in =
          new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        copy = (CalendarPeriods) in.readObject();
      }
      assertThat(copy.zone()).isEqualTo(BERLIN);
      assertThat(copy.endExclusiveMillis(BerlinSpringForward.WEEK_OF_CHANGE))
          .isEqualTo(at("2026-03-29T22:00:00Z"));
    }
  }
}
