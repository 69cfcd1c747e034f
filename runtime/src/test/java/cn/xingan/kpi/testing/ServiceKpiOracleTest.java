// The acceptance tests are only as good as their oracle and their input: this checks the oracle's
// period arithmetic against dates worked out by hand from a calendar, and that the generated input
// really holds the cases the ITCases claim to cover.
package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.testing.ServiceKpiOracle.Key;
import cn.xingan.kpi.testing.ServiceTransactions.Event;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ServiceKpiOracleTest {

  @Test
  void periodsOfTrickyInstantsAreTheHandWorkedOnes() {
    // instant as written -> local day (Asia/Shanghai), week, half month, month, quarter, year
    check("2026-06-15T15:59:59Z", "2026-06-15", "06-15..06-21", "06-01..06-15", "06-01..06-30");
    check("2026-06-15T16:00:00Z", "2026-06-16", "06-15..06-21", "06-16..06-30", "06-01..06-30");
    check(
        "2026-06-30T23:30:00-05:00", "2026-07-01", "06-29..07-05", "07-01..07-15", "07-01..07-31");
    check("2026-02-15T15:59:59.999Z", "2026-02-15", "02-09..02-15", "02-01..02-15", "02-01..02-28");
    check(
        "2026-12-31T23:59:59+08:00", "2026-12-31", "12-28..01-03", "12-16..12-31", "12-01..12-31");
    check(
        "2027-01-01T00:00:00+08:00", "2027-01-01", "12-28..01-03", "01-01..01-15", "01-01..01-31");
    check("2027-01-03T16:00:00Z", "2027-01-04", "01-04..01-10", "01-01..01-15", "01-01..01-31");
    check("2028-02-28T16:00:00Z", "2028-02-29", "02-28..03-05", "02-16..02-29", "02-01..02-29");

    assertThat(quarterAndYear("2026-03-31T23:59:59+08:00"))
        .isEqualTo("2026-01-01..2026-03-31 2026-01-01..2026-12-31");
    assertThat(quarterAndYear("2026-03-31T11:00:00-05:00"))
        .isEqualTo("2026-04-01..2026-06-30 2026-01-01..2026-12-31");
    assertThat(quarterAndYear("2026-06-30T23:30:00-05:00"))
        .isEqualTo("2026-07-01..2026-09-30 2026-01-01..2026-12-31");
    assertThat(quarterAndYear("2026-09-30T16:00:00Z"))
        .isEqualTo("2026-10-01..2026-12-31 2026-01-01..2026-12-31");
    assertThat(quarterAndYear("2026-12-31T10:00:00-10:00"))
        .isEqualTo("2027-01-01..2027-03-31 2027-01-01..2027-12-31");
    assertThat(quarterAndYear("2028-02-29T15:59:59Z"))
        .isEqualTo("2028-01-01..2028-03-31 2028-01-01..2028-12-31");
  }

  @Test
  void generatedInputCoversWhatTheTestsClaim() {
    List<Event> events = ServiceTransactions.generate(ServiceKpiITCase.SEED);
    assertThat(ServiceTransactions.generate(ServiceKpiITCase.SEED))
        .as("same seed, same events")
        .isEqualTo(events);
    assertThat(events).hasSizeBetween(950, 1050);
    assertThat(events.stream().map(Event::eventId).distinct()).hasSize(events.size());
    assertThat(events.stream().map(Event::county).distinct())
        .containsExactlyInAnyOrderElementsOf(ServiceTransactions.COUNTIES);
    assertThat(events.stream().map(Event::channel).distinct())
        .containsExactlyInAnyOrderElementsOf(ServiceTransactions.CHANNELS);
    assertThat(events.stream().map(Event::status).distinct())
        .containsExactlyInAnyOrder("accepted", "completed", "rejected");
    assertThat(events.stream().map(e -> ServiceKpiOracle.localDate(e).withDayOfMonth(1)).distinct())
        .as("every month 2026-01..2027-02, 2028-02 and 2028-03-01 00:00")
        .hasSize(16);

    List<Event> completed = events.stream().filter(Event::completed).toList();
    assertThat(completed).anyMatch(e -> took(e).equals(Duration.ofDays(e.service().promised())));
    assertThat(completed)
        .anyMatch(e -> took(e).equals(Duration.ofDays(e.service().promised()).plusSeconds(1)));
    assertThat(completed).anyMatch(e -> e.visits() == 0).anyMatch(e -> e.visits() > 0);
    assertThat(completed).anyMatch(e -> e.satisfaction() == null);
    assertThat(completed.stream().map(Event::satisfaction).filter(s -> s != null).distinct())
        .containsExactlyInAnyOrder(1, 2, 3, 4, 5);
    // Written with an offset other than the one of the zone, and with milliseconds.
    assertThat(events).anyMatch(e -> e.eventTimeText().endsWith("Z"));
    assertThat(events).anyMatch(e -> e.eventTimeText().endsWith("-05:00"));
    assertThat(events).anyMatch(e -> e.eventTimeText().contains("."));
    assertThat(completed).anyMatch(e -> !e.acceptedAtText().endsWith("+08:00"));
  }

  @Test
  void sendingOrderIsOutOfOrderButNeverByAnHourOrMore() {
    List<Event> events = ServiceTransactions.generate(ServiceKpiITCase.SEED);
    List<Event> order = ServiceTransactions.sendingOrder(events, ServiceKpiITCase.SEED);
    assertThat(order).containsExactlyInAnyOrderElementsOf(events);
    Instant max = Instant.MIN;
    int overtaken = 0;
    for (Event e : order) {
      if (e.eventTime().isBefore(max)) {
        overtaken++;
        assertThat(Duration.between(e.eventTime(), max)).isLessThan(Duration.ofMinutes(30));
      }
      max = e.eventTime().isAfter(max) ? e.eventTime() : max;
    }
    assertThat(overtaken).as("events sent after a later one").isGreaterThan(20);
  }

  private static Duration took(Event e) {
    return Duration.between(e.acceptedAt(), e.eventTime());
  }

  private static void check(
      String instant, String day, String week, String halfMonth, String month) {
    LocalDate local =
        OffsetDateTime.parse(instant).toInstant().atZone(ServiceKpiOracle.ZONE).toLocalDate();
    assertThat(local).as(instant).isEqualTo(LocalDate.parse(day));
    List<Key> keys = ServiceKpiOracle.periods(local, "league", "");
    assertThat(shortRange(keys.get(0))).as("week of " + instant).isEqualTo(week);
    assertThat(shortRange(keys.get(1))).as("half month of " + instant).isEqualTo(halfMonth);
    assertThat(shortRange(keys.get(2))).as("month of " + instant).isEqualTo(month);
    assertThat(keys.stream().map(Key::period).collect(Collectors.toList()))
        .containsExactly("week", "half_month", "month", "quarter", "year");
  }

  private static String quarterAndYear(String instant) {
    LocalDate local =
        OffsetDateTime.parse(instant).toInstant().atZone(ServiceKpiOracle.ZONE).toLocalDate();
    List<Key> keys = ServiceKpiOracle.periods(local, "league", "");
    return keys.get(3).start()
        + ".."
        + keys.get(3).end()
        + " "
        + keys.get(4).start()
        + ".."
        + keys.get(4).end();
  }

  private static String shortRange(Key k) {
    return k.start().toString().substring(5) + ".." + k.end().toString().substring(5);
  }
}
