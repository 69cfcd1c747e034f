package cn.xingan.kpi.periods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * The one rule "period end plus allowed lateness", with boundary triplets (just before, at, after)
 * at named instants, saturation at the end of time, and {@code admissibleFrom} checked against a
 * brute-force search over every hour of two years (every DST switch of a DST zone included).
 */
class FinalityTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final CalendarPeriods CALENDAR = new CalendarPeriods(SHANGHAI);
  private static final Finality SEVEN_DAYS = new Finality(CALENDAR, Duration.ofDays(7));

  private static long at(String local) {
    return LocalDateTime.parse(local).atZone(SHANGHAI).toInstant().toEpochMilli();
  }

  @Test
  void aPeriodIsFinalAtItsEndPlusTheLateness() {
    Period june = PeriodKind.MONTH.of(LocalDate.of(2026, 6, 10));
    assertThat(SEVEN_DAYS.finalAt(june)).isEqualTo(at("2026-07-08T00:00"));
    assertThat(SEVEN_DAYS.isFinal(june, at("2026-07-08T00:00") - 1)).isFalse();
    assertThat(SEVEN_DAYS.isFinal(june, at("2026-07-08T00:00"))).isTrue();
    assertThat(SEVEN_DAYS.isFinal(june, at("2026-07-08T00:00") + 1)).isTrue();
    assertThat(SEVEN_DAYS.isFinal(june, Long.MIN_VALUE)).as("before any watermark").isFalse();
  }

  /** Sunday 2026-06-14 is in the week to 06-14 (final 06-22) and the half to 06-15 (06-23). */
  @Test
  void anEventIsLateOnceItsEarliestPeriodIsFinal() {
    long sunday = at("2026-06-14T23:59");
    assertThat(SEVEN_DAYS.earliestFinalAt(sunday)).isEqualTo(at("2026-06-22T00:00"));
    assertThat(SEVEN_DAYS.isLate(sunday, at("2026-06-22T00:00") - 1)).isFalse();
    assertThat(SEVEN_DAYS.isLate(sunday, at("2026-06-22T00:00"))).isTrue();
    assertThat(SEVEN_DAYS.isLate(sunday, at("2026-06-22T00:00") + 1)).isTrue();
    // The Monday after is in the half to 06-15: final a day later than the week to 06-21.
    assertThat(SEVEN_DAYS.earliestFinalAt(at("2026-06-15T00:00")))
        .isEqualTo(at("2026-06-23T00:00"));
    assertThat(SEVEN_DAYS.isLate(sunday, Long.MIN_VALUE)).isFalse();
  }

  @Test
  void aHugeLatenessMeansNeverFinalNotOverflow() {
    Finality never = new Finality(CALENDAR, Duration.ofMillis(Long.MAX_VALUE));
    long t = at("2026-06-14T12:00");
    assertThat(never.earliestFinalAt(t)).isEqualTo(Long.MAX_VALUE);
    assertThat(never.isLate(t, Long.MAX_VALUE - 1)).isFalse();
    assertThat(never.admissibleFrom(t)).isLessThan(at("0001-01-01T00:00"));
    assertThat(Finality.plus(Long.MAX_VALUE - 5, 10)).isEqualTo(Long.MAX_VALUE);
    assertThat(Finality.plus(5, 10)).isEqualTo(15);
  }

  @Test
  void aNegativeLatenessIsRefused() {
    assertThatThrownBy(() -> new Finality(CALENDAR, Duration.ofHours(-1)))
        .hasMessageContaining("PT-1H")
        .hasMessageContaining("expected 0 or more");
  }

  @Test
  void admissibleFromIsTheStartOfTheLaterOfWeekAndHalfMonth() {
    // 2026-06-24 12:00 minus 7 days: Wednesday 06-17; week from 06-15, half month from 06-16.
    long w = at("2026-06-24T12:00");
    assertThat(SEVEN_DAYS.admissibleFrom(w)).isEqualTo(at("2026-06-16T00:00"));
    assertThat(SEVEN_DAYS.isLate(at("2026-06-16T00:00") - 1, w)).isTrue();
    assertThat(SEVEN_DAYS.isLate(at("2026-06-16T00:00"), w)).isFalse();
    assertThat(SEVEN_DAYS.admissibleFrom(Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
    assertThat(SEVEN_DAYS.admissibleFrom(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void admissibleFromAgreesWithIsLateEveryHourOfTwoYearsInADstZone() {
    CalendarPeriods berlin = new CalendarPeriods(ZoneId.of("Europe/Berlin"));
    for (Finality f :
        new Finality[] {
          SEVEN_DAYS,
          new Finality(berlin, Duration.ofDays(7)),
          new Finality(berlin, Duration.ZERO),
          new Finality(CALENDAR, Duration.ofHours(30))
        }) {
      long start = at("2025-12-20T00:00");
      for (long w = start; w < start + 400L * 86_400_000L; w += 3_600_000L + 17) {
        long from = f.admissibleFrom(w);
        assertThat(f.isLate(from, w)).as("at %s, %s itself", w, from).isFalse();
        assertThat(f.isLate(from - 1, w)).as("at %s, just before %s", w, from).isTrue();
        // and nothing earlier is admissible again (the earliest end only grows with time)
        assertThat(f.isLate(from - 86_400_000L * 3, w)).isTrue();
      }
    }
  }
}
