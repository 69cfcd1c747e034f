package cn.xingan.kpi.job;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.periods.CalendarPeriods;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Repeats of an event id are dropped, and an id is forgotten once a repeat would be late. */
class DropDuplicatesTest {
  /** An event is "id@instant"; its time is the instant. */
  private static long time(String e) {
    return Instant.parse(e.substring(e.indexOf('@') + 1)).toEpochMilli();
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness()
      throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(
                new DropDuplicates<String>(
                    new CalendarPeriods(ZoneId.of("Asia/Shanghai")),
                    Duration.ofDays(7),
                    DropDuplicatesTest::time,
                    "service-transactions")),
            (String e) -> e.substring(0, e.indexOf('@')),
            Types.STRING);
    h.open();
    return h;
  }

  private static void send(
      KeyedOneInputStreamOperatorTestHarness<String, String, String> h, String e) throws Exception {
    h.processElement(new StreamRecord<>(e, time(e)));
  }

  @Test
  void repeatsAreDroppedAndIdsForgottenAfterLatenessPlusMargin() throws Exception {
    var h = harness();
    // Wednesday 2026-06-10 10:00 local; its week (06-08..06-14) ends first, at 06-14T16:00Z.
    send(h, "a@2026-06-10T02:00:00Z");
    send(h, "a@2026-06-10T02:00:00Z");
    send(h, "b@2026-06-10T03:00:00Z");
    send(h, "a@2026-06-11T02:00:00Z"); // same id, other content: still a repeat
    assertThat(h.extractOutputValues())
        .containsExactly("a@2026-06-10T02:00:00Z", "b@2026-06-10T03:00:00Z");
    assertThat(h.numKeyedStateEntries()).isEqualTo(2);

    // Week end + 7 days + 1 hour margin = 2026-06-21T17:00Z: kept until then.
    long forget = Instant.parse("2026-06-21T17:00:00Z").toEpochMilli();
    h.processWatermark(forget - 1);
    assertThat(h.numKeyedStateEntries()).isEqualTo(2);
    h.processWatermark(forget);
    assertThat(h.numKeyedStateEntries()).isZero();
    assertThat(h.numEventTimeTimers()).isZero();
    h.close();
  }

  /**
   * A year of one new id an hour, the watermark an hour behind: an id at time t is kept until the
   * end of its earliest period (at most 7 days on) + 7 days + the 1 h margin, so with the watermark
   * at T − 1 h only ids from (T − 14 d − 2 h, T] can be held — at most 14 × 24 + 2 = 338 — and
   * every id from the last 7 days is still held (≥ 7 × 24 = 168), so repeats within the lateness
   * are still caught. The state never grows with the length of the stream.
   */
  @Test
  void stateStaysBoundedOverAYearOfEvents() throws Exception {
    var h = harness();
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    int max = 0;
    int min = Integer.MAX_VALUE;
    for (int hour = 0; hour < 365 * 24; hour++) {
      Instant t = start.plusSeconds(3600L * hour);
      send(h, "id-" + hour + "@" + t);
      send(h, "id-" + hour + "@" + t); // a repeat: dropped, no new state
      h.processWatermark(t.toEpochMilli() - 3_600_000);
      int held = h.numKeyedStateEntries();
      max = Math.max(max, held);
      if (hour >= 14 * 24) {
        min = Math.min(min, held);
      }
    }
    assertThat(h.extractOutputValues()).hasSize(365 * 24);
    assertThat(max).as("ids held at most").isLessThanOrEqualTo(14 * 24 + 2);
    assertThat(min).as("ids held at least, once running").isGreaterThanOrEqualTo(7 * 24);
    h.processWatermark(Long.MAX_VALUE);
    assertThat(h.numKeyedStateEntries()).isZero();
    assertThat(h.numEventTimeTimers()).isZero();
    h.close();
  }
}
