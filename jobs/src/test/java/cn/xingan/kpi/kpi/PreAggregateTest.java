package cn.xingan.kpi.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.events.ServiceEvent;
import cn.xingan.kpi.events.ServiceStatus;
import cn.xingan.kpi.periods.CalendarPeriods;
import cn.xingan.kpi.periods.Finality;
import cn.xingan.kpi.service.ServiceKpiAccumulator;
import cn.xingan.kpi.service.ServiceScopes;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** What the chained pre-aggregation sends on, and when it flushes. */
class PreAggregateTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final CalendarPeriods CALENDAR = new CalendarPeriods(SHANGHAI);
  private static final Finality FINALITY = new Finality(CALENDAR, Duration.ofDays(7));
  private static final ScopeKey ULANHOT = new ScopeKey(ServiceScopes.COUNTY, "ulanhot");

  private static long local(String time) {
    return LocalDateTime.parse(time).atZone(SHANGHAI).toInstant().toEpochMilli();
  }

  /** A transaction in Ulanhot, completed online in {@code hours} on a 5-day promise. */
  private static ServiceEvent completed(String id, String time, long hours, int rating) {
    long t = local(time);
    return new ServiceEvent(
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
        t - Duration.ofHours(hours).toMillis(),
        0,
        rating);
  }

  private static ServiceEvent accepted(String id, String time) {
    return new ServiceEvent(
        id,
        local(time),
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
        0);
  }

  private static OneInputStreamOperatorTestHarness<ServiceEvent, DaySlice<ServiceKpiAccumulator>>
      harness(int maxSlices, Duration flushInterval) throws Exception {
    var h =
        new OneInputStreamOperatorTestHarness<>(
            new PreAggregate<>(new ServiceScopes(), FINALITY, maxSlices, flushInterval));
    h.setProcessingTime(0);
    h.open();
    return h;
  }

  private static void send(
      OneInputStreamOperatorTestHarness<ServiceEvent, ?> h, ServiceEvent... events)
      throws Exception {
    for (ServiceEvent e : events) {
      h.processElement(new StreamRecord<>(e, e.eventTime()));
    }
  }

  @SuppressWarnings("unchecked")
  private static List<DaySlice<ServiceKpiAccumulator>> slices(
      OneInputStreamOperatorTestHarness<ServiceEvent, DaySlice<ServiceKpiAccumulator>> h) {
    List<DaySlice<ServiceKpiAccumulator>> out = new ArrayList<>();
    for (Object o : h.getOutput()) {
      if (o instanceof StreamRecord<?> r) {
        out.add((DaySlice<ServiceKpiAccumulator>) r.getValue());
      }
    }
    return out;
  }

  private static DaySlice<ServiceKpiAccumulator> slice(
      List<DaySlice<ServiceKpiAccumulator>> slices, ScopeKey scope, String day) {
    long start = local(day + "T00:00:00");
    return slices.stream()
        .filter(s -> s.scope().equals(scope) && s.dayStart() == start)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no slice of " + scope + " on " + day));
  }

  @Test
  void eventsOfOneScopeAndDayBecomeOneSliceWithTheirSummedFigures() throws Exception {
    var h = harness(1000, null);
    // 06-16 10:00 completed in 48 h (on time), rated 5; 06-16 23:59 accepted;
    // 06-17 00:00 completed in 130 h (late: 5 days are 120 h), rated 3.
    send(
        h,
        completed("a", "2026-06-16T10:00:00", 48, 5),
        accepted("b", "2026-06-16T23:59:59"),
        completed("c", "2026-06-17T00:00:00", 130, 3));
    assertThat(slices(h)).isEmpty();
    h.endInput();

    List<DaySlice<ServiceKpiAccumulator>> out = slices(h);
    // 5 scopes (league, county, department, service, channel: window and online) × days
    assertThat(out).hasSize(11);
    ServiceKpiAccumulator june16 = slice(out, ULANHOT, "2026-06-16").figures();
    assertThat(june16.events).isEqualTo(2);
    assertThat(june16.accepted).isEqualTo(1);
    assertThat(june16.completed).isEqualTo(1);
    assertThat(june16.completedOnTime).isEqualTo(1);
    assertThat(june16.processingMillisSum).isEqualTo(48 * 3_600_000L);
    assertThat(june16.satisfactionPositive).isEqualTo(1);
    assertThat(june16.lastEvent).isEqualTo("b");
    ServiceKpiAccumulator june17 = slice(out, ScopeKey.league(), "2026-06-17").figures();
    assertThat(june17.events).isEqualTo(1);
    assertThat(june17.completedOnTime).isZero();
    assertThat(june17.satisfactionResponses).isEqualTo(1);
    assertThat(june17.satisfactionPositive).isZero();
    assertThat(slice(out, new ScopeKey(ServiceScopes.CHANNEL, "window"), "2026-06-16").figures())
        .extracting(a -> a.events, a -> a.accepted)
        .containsExactly(1L, 1L);
  }

  @Test
  void aWatermarkIsPassedOnAfterTheSlicesWhosePeriodsItMakesFinal() throws Exception {
    var h = harness(1000, null);
    send(h, accepted("a", "2026-06-16T10:00:00"));
    // the first period of 06-16 to end is its week (to Sunday 06-21): final on 06-29 00:00
    long finalAt = local("2026-06-29T00:00:00");
    h.processWatermark(new Watermark(finalAt - 1));
    assertThat(slices(h)).isEmpty();
    assertThat(h.getOutput()).containsExactly(new Watermark(finalAt - 1));

    h.processWatermark(new Watermark(finalAt));
    List<Object> output = new ArrayList<>(h.getOutput());
    assertThat(slices(h)).hasSize(5);
    assertThat(output.get(output.size() - 1)).isEqualTo(new Watermark(finalAt));
    assertThat(output.subList(1, 6)).allMatch(o -> o instanceof StreamRecord<?>);
  }

  @Test
  void aCheckpointBarrierFindsTheBufferEmpty() throws Exception {
    var h = harness(1000, null);
    send(h, accepted("a", "2026-06-16T10:00:00"));
    h.prepareSnapshotPreBarrier(1);
    assertThat(slices(h)).hasSize(5);
  }

  @Test
  void aFullBufferIsFlushed() throws Exception {
    var h = harness(7, null);
    send(h, accepted("a", "2026-06-16T10:00:00"));
    assertThat(slices(h)).isEmpty();
    // the second day's league slice is the 7th
    send(h, accepted("b", "2026-06-17T10:00:00"));
    assertThat(slices(h)).hasSize(10);
  }

  @Test
  void slicesWaitAtMostTheFlushIntervalInProcessingTime() throws Exception {
    var h = harness(1000, Duration.ofMillis(500));
    send(h, accepted("a", "2026-06-16T10:00:00"));
    h.setProcessingTime(499);
    assertThat(slices(h)).isEmpty();
    h.setProcessingTime(500);
    assertThat(slices(h)).hasSize(5);
    send(h, accepted("b", "2026-06-16T11:00:00"));
    h.setProcessingTime(1000);
    assertThat(slices(h)).hasSize(10);
    assertThat(slice(slices(h).subList(5, 10), ScopeKey.league(), "2026-06-16").figures().events)
        .isEqualTo(1);
  }
}
