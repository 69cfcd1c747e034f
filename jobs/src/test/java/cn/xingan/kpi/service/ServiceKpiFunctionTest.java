package cn.xingan.kpi.service;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.events.ServiceEvent;
import cn.xingan.kpi.events.ServiceStatus;
import cn.xingan.kpi.kpi.DaySlice;
import cn.xingan.kpi.kpi.ScopeKey;
import cn.xingan.kpi.kpi.Slices;
import cn.xingan.kpi.periods.CalendarPeriods;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Rolling and final emission of kpi_service rows, and that nothing is left behind. */
class ServiceKpiFunctionTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final Duration LATENESS = Duration.ofDays(7);
  private static final Duration EMIT = Duration.ofSeconds(10);
  private static final ScopeKey COUNTY = new ScopeKey("county", "ulanhot");

  /** An event on its way to one scope. */
  private record ScopedService(ScopeKey scope, ServiceEvent event) {}

  private static DaySlice<ServiceKpiAccumulator> slice(ScopedService s) {
    return Slices.of(s.scope(), s.event(), new ServiceScopes(), new CalendarPeriods(SHANGHAI));
  }

  /** A completed online transaction that took 48 hours on a 5-day promise. */
  private static ScopedService completed(String id, String localTime, int visits, int rating) {
    long t = java.time.LocalDateTime.parse(localTime).atZone(SHANGHAI).toInstant().toEpochMilli();
    long accepted = t - Duration.ofHours(48).toMillis();
    return new ScopedService(
        COUNTY,
        new ServiceEvent(
            id,
            t,
            "tx-" + id,
            "mortgage-filing",
            "抵押登记",
            "natural-resources",
            "ulanhot",
            ServiceStatus.COMPLETED,
            "online",
            30,
            5,
            accepted,
            visits,
            rating));
  }

  private static ScopedService accepted(String id, String localTime) {
    long t = java.time.LocalDateTime.parse(localTime).atZone(SHANGHAI).toInstant().toEpochMilli();
    return new ScopedService(
        COUNTY,
        new ServiceEvent(
            id,
            t,
            "tx-" + id,
            "mortgage-filing",
            "抵押登记",
            "natural-resources",
            "ulanhot",
            ServiceStatus.ACCEPTED,
            "window",
            30,
            5,
            ServiceEvent.NONE,
            -1,
            0));
  }

  private static KeyedOneInputStreamOperatorTestHarness<
          ScopeKey, DaySlice<ServiceKpiAccumulator>, ServiceKpiRow>
      harness() throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(
                new ServiceKpiFunction(new CalendarPeriods(SHANGHAI), LATENESS, EMIT)),
            DaySlice::scope,
            org.apache.flink.api.common.typeinfo.TypeInformation.of(ScopeKey.class));
    h.open();
    return h;
  }

  private static List<ServiceKpiRow> rows(
      KeyedOneInputStreamOperatorTestHarness<
              ScopeKey, DaySlice<ServiceKpiAccumulator>, ServiceKpiRow>
          h) {
    List<ServiceKpiRow> out = h.extractOutputValues();
    h.getOutput().clear();
    return out;
  }

  private static void send(
      KeyedOneInputStreamOperatorTestHarness<
              ScopeKey, DaySlice<ServiceKpiAccumulator>, ServiceKpiRow>
          h,
      ScopedService s)
      throws Exception {
    h.processElement(new StreamRecord<>(slice(s), s.event().eventTime()));
  }

  /**
   * A key's first rolling rows go out on the next whole second, later ones on multiples of the 10 s
   * emit interval and never within 10 s of the previous emit.
   */
  @Test
  void firstRollingRowsWithinASecondThenOnTheEmitInterval() throws Exception {
    var h = harness();
    h.setProcessingTime(3_400);
    send(h, accepted("a", "2026-06-16T10:00:00"));
    h.setProcessingTime(3_999);
    assertThat(rows(h)).isEmpty();
    h.setProcessingTime(4_000);
    assertThat(rows(h)).hasSize(5).allMatch(r -> r.accepted() == 1);

    send(h, accepted("b", "2026-06-16T11:00:00"));
    h.setProcessingTime(10_000); // a multiple, but only 6 s after the first emit
    assertThat(rows(h)).isEmpty();
    h.setProcessingTime(19_999);
    assertThat(rows(h)).isEmpty();
    h.setProcessingTime(20_000);
    assertThat(rows(h)).hasSize(5).allMatch(r -> r.accepted() == 2);

    send(h, accepted("c", "2026-06-16T12:00:00"));
    h.setProcessingTime(29_999);
    assertThat(rows(h)).isEmpty();
    h.setProcessingTime(30_000);
    assertThat(rows(h)).hasSize(5).allMatch(r -> r.accepted() == 3);
    h.close();
  }

  /**
   * A period that opens between rolling emits has its first row alone on the next whole second; a
   * row is never updated within 10 s of its previous version, so a change to it waits for the
   * rolling emit after.
   */
  @Test
  void aNewPeriodsFirstRowWithinASecondAndNoRowUpdatedWithinTheInterval() throws Exception {
    var h = harness();
    h.setProcessingTime(3_400);
    send(h, accepted("a", "2026-06-16T10:00:00")); // week of 06-15
    h.setProcessingTime(4_000);
    assertThat(rows(h)).hasSize(5);

    h.setProcessingTime(4_300);
    send(h, accepted("b", "2026-06-22T10:00:00")); // week of 06-22 opens
    h.setProcessingTime(4_999);
    assertThat(rows(h)).isEmpty();
    h.setProcessingTime(5_000);
    assertThat(rows(h))
        .extracting(r -> r.period() + " " + r.periodStart() + " " + r.accepted())
        .containsExactly("week 2026-06-22 1");

    h.setProcessingTime(12_300);
    send(h, accepted("c", "2026-06-29T10:00:00")); // week of 06-29 opens
    h.setProcessingTime(13_000);
    assertThat(rows(h))
        .extracting(r -> r.period() + " " + r.periodStart() + " " + r.accepted())
        .containsExactly("week 2026-06-29 1");
    h.setProcessingTime(15_000);
    send(h, accepted("d", "2026-06-29T11:00:00")); // changes the week of 06-29 again
    h.setProcessingTime(19_999);
    assertThat(rows(h)).isEmpty();
    // 16 s after the first emit: the others; not the week of 06-22 (unchanged since 5 000) nor the
    // week of 06-29 (changed, but its first row went out at 13 000)
    h.setProcessingTime(20_000);
    assertThat(rows(h))
        .extracting(r -> r.period() + " " + r.accepted())
        .containsExactlyInAnyOrder("half_month 4", "month 4", "quarter 4", "year 4");
    h.setProcessingTime(29_999);
    assertThat(rows(h)).isEmpty();
    h.setProcessingTime(30_000);
    assertThat(rows(h))
        .extracting(r -> r.period() + " " + r.periodStart() + " " + r.accepted())
        .containsExactly("week 2026-06-29 2");
    assertThat(h.numProcessingTimeTimers()).isZero();
    h.close();
  }

  /**
   * A busy task fires its timers late. The rolling emit due at 20 s fires at 20.3 s; the one due at
   * 30 s, at 30.1 s, only 9.8 s after the previous one went out: it still updates the changed rows
   * (emits are one interval apart by when they were due), rather than leaving them for 40 s.
   */
  @Test
  void aRollingEmitThatFiresLateDoesNotPushTheNextOneAnIntervalBack() throws Exception {
    var h = harness();
    h.setProcessingTime(3_400);
    send(h, accepted("a", "2026-06-16T10:00:00"));
    h.setProcessingTime(4_000); // the key's first emit
    assertThat(rows(h)).hasSize(5).allMatch(r -> r.accepted() == 1);
    h.setProcessingTime(5_000);
    send(h, accepted("b", "2026-06-16T11:00:00"));
    h.setProcessingTime(20_300); // due at 20 000
    assertThat(rows(h)).hasSize(5).allMatch(r -> r.accepted() == 2);
    h.setProcessingTime(21_000);
    send(h, accepted("c", "2026-06-16T12:00:00"));
    h.setProcessingTime(30_100); // due at 30 000
    assertThat(rows(h)).hasSize(5).allMatch(r -> r.accepted() == 3);
    h.close();
  }

  @Test
  void rollingRowsOnlyWhenChangedThenFinalAndNothingLeft() throws Exception {
    var h = harness();
    h.setProcessingTime(1_000);
    ScopedService a = completed("a", "2026-06-16T10:00:00", 0, 5);
    h.processElement(new StreamRecord<>(slice(a), a.event().eventTime()));
    ScopedService b = accepted("b", "2026-06-16T11:00:00");
    h.processElement(new StreamRecord<>(slice(b), b.event().eventTime()));
    assertThat(rows(h)).isEmpty();

    h.setProcessingTime(10_000);
    List<ServiceKpiRow> rolling = rows(h);
    // One rolling row per period kind: week, half_month, month, quarter, year.
    assertThat(rolling).hasSize(5).allMatch(r -> !r.isFinal() && r.version() == 4);
    ServiceKpiRow half =
        rolling.stream().filter(r -> r.period().equals("half_month")).findFirst().orElseThrow();
    assertThat(half.periodStart()).isEqualTo(LocalDate.of(2026, 6, 16));
    assertThat(half.periodEnd()).isEqualTo(LocalDate.of(2026, 6, 30));
    assertThat(half.accepted()).isEqualTo(1);
    assertThat(half.completed()).isEqualTo(1);
    assertThat(half.completedOnTime()).isEqualTo(1);
    assertThat(half.completedOnline()).isEqualTo(1);
    assertThat(half.completedZeroVisit()).isEqualTo(1);
    assertThat(half.processingHoursSum()).isEqualTo(48.0);
    assertThat(half.satisfactionPositive()).isEqualTo(1);
    assertThat(half.statutoryDaysSum()).isEqualTo(30);

    // Nothing changed: the next tick emits nothing and leaves no timer behind.
    h.setProcessingTime(20_000);
    assertThat(rows(h)).isEmpty();
    assertThat(h.numProcessingTimeTimers()).isZero();

    // The week 2026-06-15..06-21 ends at 2026-06-21T16:00Z; final 7 days later.
    long weekFinal = Instant.parse("2026-06-28T16:00:00Z").toEpochMilli();
    h.processWatermark(weekFinal - 1);
    assertThat(rows(h)).isEmpty();
    h.processWatermark(weekFinal);
    List<ServiceKpiRow> fin = rows(h);
    assertThat(fin)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.period()).isEqualTo("week");
              assertThat(r.isFinal()).isTrue();
              assertThat(r.version()).isEqualTo(5);
              assertThat(r.periodStart()).isEqualTo(LocalDate.of(2026, 6, 15));
            });

    // The end of time finalises the rest and clears every bit of state.
    h.processWatermark(Long.MAX_VALUE);
    assertThat(rows(h).stream().map(ServiceKpiRow::period).collect(Collectors.toList()))
        .containsExactlyInAnyOrder("half_month", "month", "quarter", "year");
    assertThat(h.numKeyedStateEntries()).isZero();
    assertThat(h.numEventTimeTimers()).isZero();
    assertThat(h.numProcessingTimeTimers()).isZero();
    h.close();
  }

  @Test
  void finalisingTheLastPeriodRemovesAPendingRollingTimer() throws Exception {
    var h = harness();
    h.setProcessingTime(1_000);
    ScopedService a = accepted("a", "2026-06-16T11:00:00");
    h.processElement(new StreamRecord<>(slice(a), a.event().eventTime()));
    assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
    h.processWatermark(Long.MAX_VALUE);
    assertThat(rows(h)).hasSize(5).allMatch(ServiceKpiRow::isFinal);
    assertThat(h.numKeyedStateEntries()).isZero();
    assertThat(h.numProcessingTimeTimers()).isZero();
    h.close();
  }

  @Test
  void lateCompletionIsNotOnTimeAndMaxTracksTheSlowest() throws Exception {
    var h = harness();
    h.setProcessingTime(1_000);
    ScopedService fast = completed("f", "2026-06-16T10:00:00", 1, 0);
    // 48 h on a 5-day promise is on time; this one took 5 days and 1 ms.
    ServiceEvent e = fast.event();
    ServiceEvent slow =
        new ServiceEvent(
            "s",
            e.eventTime(),
            "tx-s",
            e.serviceCode(),
            e.serviceName(),
            e.department(),
            e.county(),
            ServiceStatus.COMPLETED,
            "window",
            30,
            5,
            e.eventTime() - Duration.ofDays(5).toMillis() - 1,
            2,
            3);
    ServiceEvent exact =
        new ServiceEvent(
            "x",
            e.eventTime(),
            "tx-x",
            e.serviceCode(),
            e.serviceName(),
            e.department(),
            e.county(),
            ServiceStatus.COMPLETED,
            "mail",
            30,
            5,
            e.eventTime() - Duration.ofDays(5).toMillis(),
            0,
            4);
    for (ServiceEvent ev : List.of(fast.event(), slow, exact)) {
      h.processElement(new StreamRecord<>(slice(new ScopedService(COUNTY, ev)), ev.eventTime()));
    }
    h.processWatermark(Long.MAX_VALUE);
    ServiceKpiRow month =
        rows(h).stream().filter(r -> r.period().equals("month")).findFirst().orElseThrow();
    assertThat(month.completed()).isEqualTo(3);
    assertThat(month.completedOnTime()).isEqualTo(2);
    assertThat(month.completedOnline()).isEqualTo(1);
    assertThat(month.completedZeroVisit()).isEqualTo(1);
    assertThat(month.satisfactionResponses()).isEqualTo(2);
    assertThat(month.satisfactionPositive()).isEqualTo(1);
    assertThat(month.processingHoursMax()).isEqualTo(120 + 1 / 3_600_000.0);
    assertThat(month.processingHoursSum()).isEqualTo(48 + 120 + 120 + 1 / 3_600_000.0);
    assertThat(month.version()).isEqualTo(7);
    h.close();
  }
}
