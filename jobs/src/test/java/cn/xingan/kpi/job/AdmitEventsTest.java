package cn.xingan.kpi.job;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.EventDecoder;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.events.Origin;
import cn.xingan.kpi.events.Rejection;
import cn.xingan.kpi.events.ServiceEvent;
import cn.xingan.kpi.events.ServiceStatus;
import cn.xingan.kpi.periods.CalendarPeriods;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The admission gate: an event counts unless one of its periods is already final (watermark at or
 * past the period's end plus the allowed lateness), rejections pass through, and only decoded
 * events move the watermark. Instants are worked out by hand in Asia/Shanghai (UTC+8, no DST).
 */
class AdmitEventsTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final Duration LATENESS = Duration.ofDays(7);

  /**
   * Monday 2026-06-08 10:00 local. Its week (Jun 8–14) ends before its half-month (Jun 1–15): the
   * week ends at 2026-06-15T00:00+08:00, so its rows start to become final at
   * 2026-06-22T00:00+08:00 = 2026-06-21T16:00Z.
   */
  private static final long MONDAY = at("2026-06-08T02:00:00Z");

  private static final long MONDAY_FINAL_AT = at("2026-06-21T16:00:00Z");

  /**
   * Tuesday 2026-06-30 09:30 local. Its half-month (Jun 16–30) ends before its week (Jun 29 – Jul
   * 5): 2026-07-01T00:00+08:00, final from 2026-07-08T00:00+08:00 = 2026-07-07T16:00Z.
   */
  private static final long TUESDAY = at("2026-06-30T01:30:00Z");

  private static final long TUESDAY_FINAL_AT = at("2026-07-07T16:00:00Z");

  private static long at(String utc) {
    return Instant.parse(utc).toEpochMilli();
  }

  private static ServiceEvent event(String id, long eventTime) {
    return new ServiceEvent(
        id,
        eventTime,
        "tx-" + id,
        "mortgage-filing",
        "Mortgage filing",
        "natural-resources",
        "ulanhot",
        ServiceStatus.ACCEPTED,
        "online",
        30,
        5,
        ServiceEvent.NONE,
        -1,
        0);
  }

  private static Envelope decoded(String id, long eventTime) {
    byte[] raw = ("{\"event_id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
    return Envelope.service(
        event(id, eventTime), new Origin("service-transactions", 2, 1234L, raw));
  }

  private static Envelope rejected(String reason) {
    Origin origin =
        new Origin("service-transactions", 1, 99L, "{oops".getBytes(StandardCharsets.UTF_8));
    return Envelope.rejected(
        EventStream.SERVICE_TRANSACTIONS,
        origin.reject(at("2026-07-01T00:00:00Z"), "", reason, "bad record"));
  }

  @Nested
  class Admission {
    private OneInputStreamOperatorTestHarness<Envelope, Rejection> harness;

    @BeforeEach
    void open() throws Exception {
      harness =
          ProcessFunctionTestHarnesses.forProcessFunction(
              new AdmitEvents(new CalendarPeriods(SHANGHAI), LATENESS, "service-transactions"));
    }

    @AfterEach
    void close() throws Exception {
      harness.close();
    }

    private List<ServiceEvent> admitted() {
      List<ServiceEvent> out = new ArrayList<>();
      var side = harness.getSideOutput(AdmitEvents.SERVICE);
      if (side != null) {
        for (StreamRecord<ServiceEvent> r : side) {
          out.add(r.getValue());
        }
      }
      return out;
    }

    private List<Rejection> rejections() {
      return harness.extractOutputValues();
    }

    private void process(Envelope e) throws Exception {
      harness.processElement(e, e.isRejected() ? 0L : e.eventTime());
    }

    @Test
    void theExpectedFinalInstantsAreTheCalendars() {
      // Cross-check of the hand-worked instants against the calendar's own earliest end.
      CalendarPeriods calendar = new CalendarPeriods(SHANGHAI);
      assertThat(calendar.earliestEndExclusiveMillis(MONDAY) + LATENESS.toMillis())
          .isEqualTo(MONDAY_FINAL_AT);
      assertThat(calendar.earliestEndExclusiveMillis(TUESDAY) + LATENESS.toMillis())
          .isEqualTo(TUESDAY_FINAL_AT);
    }

    @Test
    void aValidEventGoesToTheServiceOutput() throws Exception {
      process(decoded("e1", MONDAY));
      assertThat(admitted()).containsExactly(event("e1", MONDAY));
      assertThat(rejections()).isEmpty();
    }

    @Test
    void withoutAWatermarkNothingIsLate() throws Exception {
      // A BATCH run (backfill) has no watermark until the end: old events all count.
      process(decoded("old", at("2001-01-01T00:00:00Z")));
      assertThat(admitted()).extracting(ServiceEvent::eventId).containsExactly("old");
      assertThat(rejections()).isEmpty();
    }

    @Test
    void aMillisecondBeforeTheWeekIsFinalTheEventCounts() throws Exception {
      harness.processWatermark(MONDAY_FINAL_AT - 1);
      process(decoded("e1", MONDAY));
      assertThat(admitted()).extracting(ServiceEvent::eventId).containsExactly("e1");
      assertThat(rejections()).isEmpty();
    }

    @Test
    void whenTheWatermarkReachesWeekEndPlusLatenessTheEventIsLate() throws Exception {
      harness.processWatermark(MONDAY_FINAL_AT);
      process(decoded("e1", MONDAY));
      assertThat(admitted()).isEmpty();
      List<Rejection> out = rejections();
      assertThat(out).hasSize(1);
      Rejection r = out.get(0);
      assertThat(r.reason()).isEqualTo(Rejection.LATE);
      assertThat(r.eventId()).isEqualTo("e1");
      assertThat(r.source()).isEqualTo("service-transactions");
      assertThat(r.partition()).isEqualTo(2);
      assertThat(r.offset()).isEqualTo(1234L);
      assertThat(r.raw()).isEqualTo("{\"event_id\":\"e1\"}");
      assertThat(r.detail())
          .contains("2026-06-08T02:00:00Z")
          .contains("2026-06-21T16:00:00Z")
          .contains("--allowed-lateness");
    }

    @Test
    void theHalfMonthDecidesWhenItEndsFirst() throws Exception {
      harness.processWatermark(TUESDAY_FINAL_AT - 1);
      process(decoded("in-time", TUESDAY));
      harness.processWatermark(TUESDAY_FINAL_AT);
      process(decoded("late", TUESDAY));
      assertThat(admitted()).extracting(ServiceEvent::eventId).containsExactly("in-time");
      assertThat(rejections()).extracting(Rejection::eventId).containsExactly("late");
    }

    @Test
    void lateIsDecidedPerEventNotPerArrival() throws Exception {
      // With the watermark at Monday's final instant, a later event of the open half-month
      // (Tuesday 2026-06-30) still counts while Monday's does not.
      harness.processWatermark(MONDAY_FINAL_AT);
      process(decoded("monday", MONDAY));
      process(decoded("tuesday", TUESDAY));
      assertThat(admitted()).extracting(ServiceEvent::eventId).containsExactly("tuesday");
      assertThat(rejections()).extracting(Rejection::eventId).containsExactly("monday");
    }

    @Test
    void aRestoreKeepsTheWatermarkSoALateEventStaysLate() throws Exception {
      process(decoded("a", TUESDAY));
      harness.processWatermark(MONDAY_FINAL_AT);
      process(decoded("b", TUESDAY)); // the operator has now seen the watermark
      var snapshot = harness.snapshot(1L, 1L);
      harness.close();

      harness =
          new OneInputStreamOperatorTestHarness<>(
              new org.apache.flink.streaming.api.operators.ProcessOperator<>(
                  new AdmitEvents(
                      new CalendarPeriods(SHANGHAI), LATENESS, "service-transactions")));
      harness.initializeState(snapshot);
      harness.open();
      // no watermark yet after the restore: Monday's week is still final
      process(decoded("late", MONDAY));
      process(decoded("c", TUESDAY));
      assertThat(rejections()).extracting(Rejection::eventId).containsExactly("late");
      assertThat(rejections()).extracting(Rejection::reason).containsExactly(Rejection.LATE);
      assertThat(admitted()).extracting(ServiceEvent::eventId).containsExactly("c");
    }

    @Test
    void withoutARestoreNothingIsLateBeforeTheFirstWatermark() throws Exception {
      process(decoded("early", MONDAY));
      assertThat(admitted()).extracting(ServiceEvent::eventId).containsExactly("early");
    }

    @Test
    void rejectionsPassThroughToTheMainOutput() throws Exception {
      Envelope malformed = rejected(Rejection.MALFORMED_JSON);
      Envelope future = rejected(Rejection.FUTURE);
      process(malformed);
      harness.processWatermark(MONDAY_FINAL_AT);
      process(future);
      assertThat(rejections()).containsExactly(malformed.rejection(), future.rejection());
      assertThat(admitted()).isEmpty();
    }

    @Test
    void zeroLatenessMakesAPeriodFinalAtItsEnd() throws Exception {
      harness.close();
      harness =
          ProcessFunctionTestHarnesses.forProcessFunction(
              new AdmitEvents(
                  new CalendarPeriods(SHANGHAI), Duration.ZERO, "service-transactions"));
      long weekEnd = at("2026-06-14T16:00:00Z"); // 2026-06-15T00:00+08:00
      harness.processWatermark(weekEnd - 1);
      process(decoded("a", MONDAY));
      harness.processWatermark(weekEnd);
      process(decoded("b", MONDAY));
      assertThat(admitted()).extracting(ServiceEvent::eventId).containsExactly("a");
      assertThat(rejections()).extracting(Rejection::eventId).containsExactly("b");
    }

    @Test
    void aHugeLatenessNeverOverflowsIntoLate() throws Exception {
      harness.close();
      harness =
          ProcessFunctionTestHarnesses.forProcessFunction(
              new AdmitEvents(
                  new CalendarPeriods(SHANGHAI),
                  Duration.ofDays(106_751_991_167L),
                  "service-transactions"));
      harness.processWatermark(at("2099-01-01T00:00:00Z"));
      process(decoded("a", MONDAY));
      assertThat(admitted()).extracting(ServiceEvent::eventId).containsExactly("a");
      assertThat(rejections()).isEmpty();
    }
  }

  /** Watermarks of a source of envelopes: only decoded events move them. */
  @Nested
  class Watermarks {
    private final List<Long> emitted = new ArrayList<>();
    private final WatermarkOutput output =
        new WatermarkOutput() {
          @Override
          public void emitWatermark(Watermark watermark) {
            emitted.add(watermark.getTimestamp());
          }

          @Override
          public void markIdle() {
            emitted.add(IDLE);
          }

          @Override
          public void markActive() {}
        };

    private static final long IDLE = Long.MAX_VALUE - 42; // a marker, not a watermark
    private final EnvelopeWatermarks generator = new EnvelopeWatermarks(Duration.ofMinutes(5));
    private long nanos;
    private final EnvelopeWatermarks idling =
        new EnvelopeWatermarks(Duration.ofMinutes(5), Duration.ofMinutes(1), () -> nanos);

    @Test
    void onlyRejectedRecordsForTheIdlenessTimeMakeThePartitionIdle() {
      idling.onEvent(decoded("a", MONDAY), MONDAY, output);
      nanos += Duration.ofSeconds(59).toNanos();
      idling.onEvent(rejected(Rejection.MALFORMED_JSON), MONDAY, output);
      idling.onPeriodicEmit(output);
      assertThat(emitted).last().isEqualTo(MONDAY - Duration.ofMinutes(5).toMillis() - 1);
      nanos += Duration.ofSeconds(2).toNanos(); // 61 s without a decoded event
      idling.onEvent(rejected(Rejection.MALFORMED_JSON), MONDAY, output);
      idling.onPeriodicEmit(output);
      assertThat(emitted).last().isEqualTo(IDLE);
      idling.onEvent(decoded("b", TUESDAY), TUESDAY, output);
      idling.onPeriodicEmit(output);
      assertThat(emitted).last().isEqualTo(TUESDAY - Duration.ofMinutes(5).toMillis() - 1);
    }

    private long emit() {
      generator.onPeriodicEmit(output);
      return emitted.get(emitted.size() - 1);
    }

    @Test
    void beforeAnyEventTheWatermarkIsTheStartOfTime() {
      assertThat(emit()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void decodedEventsMoveItToTheLargestTimeLessTheBoundAndOneMillisecond() {
      generator.onEvent(decoded("a", MONDAY), MONDAY, output);
      assertThat(emit()).isEqualTo(MONDAY - Duration.ofMinutes(5).toMillis() - 1);
      generator.onEvent(decoded("b", MONDAY - 1000), MONDAY - 1000, output);
      assertThat(emit()).isEqualTo(MONDAY - Duration.ofMinutes(5).toMillis() - 1);
      generator.onEvent(decoded("c", TUESDAY), TUESDAY, output);
      assertThat(emit()).isEqualTo(TUESDAY - Duration.ofMinutes(5).toMillis() - 1);
    }

    @Test
    void rejectedEnvelopesNeverMoveIt() {
      generator.onEvent(decoded("a", MONDAY), MONDAY, output);
      long before = emit();
      for (String reason :
          List.of(Rejection.FUTURE, Rejection.MALFORMED_JSON, Rejection.INVALID_VALUE)) {
        generator.onEvent(rejected(reason), Long.MAX_VALUE, output);
        generator.onEvent(rejected(reason), at("2099-01-01T00:00:00Z"), output);
      }
      assertThat(emit()).isEqualTo(before);
    }

    @Test
    void aFutureEventFromTheDecoderDoesNotMoveIt() {
      // A clock a year ahead: the decoder rejects the event as future, and the watermark stays
      // where the good events put it.
      long now = at("2026-07-02T00:00:00Z");
      EventDecoder decoder = new EventDecoder(Duration.ofDays(1).toMillis(), 1 << 20);
      String future =
          "{\"event_id\":\"f\",\"event_time\":\"2027-07-02T00:00:00Z\",\"transaction_id\":\"t\","
              + "\"service_code\":\"a\",\"service_name\":\"n\",\"department\":\"d\","
              + "\"county\":\"c\",\"status\":\"accepted\",\"channel\":\"online\","
              + "\"statutory_days\":1,\"promised_days\":1}";
      Envelope e =
          decoder.decode(
              EventStream.SERVICE_TRANSACTIONS,
              new Origin("service-transactions", 0, 0, future.getBytes(StandardCharsets.UTF_8)),
              now);
      assertThat(e.rejection().reason()).isEqualTo(Rejection.FUTURE);

      generator.onEvent(decoded("good", TUESDAY), TUESDAY, output);
      long before = emit();
      TimestampAssigner<Envelope> assigner =
          EnvelopeWatermarks.strategy(Duration.ofMinutes(5), Duration.ofMinutes(1))
              .createTimestampAssigner(null);
      long kafkaTimestamp = at("2026-07-01T23:59:59Z");
      assertThat(assigner.extractTimestamp(e, kafkaTimestamp)).isEqualTo(kafkaTimestamp);
      generator.onEvent(e, assigner.extractTimestamp(e, kafkaTimestamp), output);
      assertThat(emit()).isEqualTo(before);
    }

    @Test
    void decodedEventsAreStampedWithTheirEventTime() {
      TimestampAssigner<Envelope> assigner =
          EnvelopeWatermarks.strategy(Duration.ofMinutes(5), Duration.ofMinutes(1))
              .createTimestampAssigner(null);
      assertThat(assigner.extractTimestamp(decoded("a", MONDAY), 42L)).isEqualTo(MONDAY);
    }
  }
}
