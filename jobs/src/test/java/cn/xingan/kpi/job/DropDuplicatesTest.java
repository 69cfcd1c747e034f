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
                    DropDuplicatesTest::time)),
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
}
