package cn.xingan.kpi.periods;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The cached local day of an instant is the one the zone gives, on short and ordinary days. */
class CalendarDaysTest {
  private static long at(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  @Test
  void theDayOfAnInstantIsItsLocalDateEvenWhenTheLastDayWasCached() {
    CalendarDays days =
        new CalendarDays(
            new Finality(new CalendarPeriods(ZoneId.of("Asia/Shanghai")), Duration.ofDays(7)));
    // 2026-06-15 15:59:59.999Z is 23:59:59.999 on the 15th in Shanghai; a millisecond later the
    // 16th
    CalendarDay d15 = days.of(at("2026-06-15T15:59:59.999Z"));
    assertThat(d15.date()).isEqualTo(LocalDate.of(2026, 6, 15));
    assertThat(days.of(at("2026-06-15T16:00:00Z")).date()).isEqualTo(LocalDate.of(2026, 6, 16));
    assertThat(days.of(at("2026-06-14T16:00:00Z"))).isSameAs(d15);
    assertThat(d15.startMillis()).isEqualTo(at("2026-06-14T16:00:00Z"));
    assertThat(d15.endExclusiveMillis()).isEqualTo(at("2026-06-15T16:00:00Z"));
    // the 15th's week ends on Sunday the 21st and its half month on the 15th itself: final on
    // the 16th at midnight plus 7 days
    assertThat(d15.earliestFinalAt()).isEqualTo(at("2026-06-22T16:00:00Z"));
    Finality finality =
        new Finality(new CalendarPeriods(ZoneId.of("Asia/Shanghai")), Duration.ofDays(7));
    for (long w : new long[] {Long.MIN_VALUE, d15.earliestFinalAt() - 1, d15.earliestFinalAt()}) {
      assertThat(d15.isLate(w)).isEqualTo(finality.isLate(d15.startMillis(), w));
    }
    assertThat(d15.isLate(d15.earliestFinalAt())).isTrue();
    assertThat(d15.periods())
        .extracting(Period::id)
        .containsExactly(
            "week:2026-06-15",
            "half_month:2026-06-01",
            "month:2026-06-01",
            "quarter:2026-04-01",
            "year:2026-01-01");
  }

  @Test
  void aDayOfTwentyThreeHoursEndsAtTheNextLocalMidnight() {
    CalendarDays days =
        new CalendarDays(
            new Finality(new CalendarPeriods(ZoneId.of("Europe/Berlin")), Duration.ZERO));
    // 2026-03-29: clocks go from 02:00 to 03:00; the day runs from 23:00Z on the 28th to 22:00Z
    CalendarDay spring = days.of(at("2026-03-29T12:00:00Z"));
    assertThat(spring.startMillis()).isEqualTo(at("2026-03-28T23:00:00Z"));
    assertThat(spring.endExclusiveMillis()).isEqualTo(at("2026-03-29T22:00:00Z"));
    assertThat(days.of(at("2026-03-29T21:59:59.999Z")).date()).isEqualTo(LocalDate.of(2026, 3, 29));
    assertThat(days.of(at("2026-03-29T22:00:00Z")).date()).isEqualTo(LocalDate.of(2026, 3, 30));
  }
}
