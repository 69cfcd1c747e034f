package cn.xingan.kpi.job;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.Origin;
import cn.xingan.kpi.events.ProjectEvent;
import cn.xingan.kpi.events.Rejection;
import cn.xingan.kpi.periods.CalendarPeriods;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** Project events pass the gate to their side output with their origin, or are rejected late. */
class AdmitProjectEventsTest {
  @Test
  void projectEventsKeepTheirOriginAndLateOnesAreRejected() throws Exception {
    var harness =
        ProcessFunctionTestHarnesses.forProcessFunction(
            new AdmitEvents(
                new CalendarPeriods(ZoneId.of("Asia/Shanghai")), Duration.ofDays(7), "test"));
    // Tuesday 2026-06-30 09:30 local: half-month Jun 16-30 ends first, final 2026-07-07T16:00Z.
    long t = Instant.parse("2026-06-30T01:30:00Z").toEpochMilli();
    byte[] raw = "{\"event_id\":\"pp-4\"}".getBytes(StandardCharsets.UTF_8);
    Origin origin = new Origin("project-progress", 1, 42L, raw);
    Envelope e = Envelope.project(ProjectEvent.progress("pp-4", t, "XA-1", 52_500_000L), origin);
    harness.processElement(e, t);
    // (the harness copies records, so the raw bytes are compared by value)
    assertThat(harness.getSideOutput(AdmitEvents.PROJECT))
        .extracting(StreamRecord::getValue)
        .singleElement()
        .satisfies(
            in -> {
              assertThat(in.event()).isEqualTo(e.project());
              assertThat(in.origin().source()).isEqualTo("project-progress");
              assertThat(in.origin().partition()).isEqualTo(1);
              assertThat(in.origin().offset()).isEqualTo(42L);
              assertThat(in.origin().raw()).isEqualTo(raw);
            });
    assertThat(harness.extractOutputValues()).isEmpty();

    harness.processWatermark(Instant.parse("2026-07-07T16:00:00Z").toEpochMilli());
    harness.processElement(e, t);
    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.reason()).isEqualTo(Rejection.LATE);
              assertThat(r.eventId()).isEqualTo("pp-4");
              assertThat(r.offset()).isEqualTo(42L);
              assertThat(r.raw()).isEqualTo("{\"event_id\":\"pp-4\"}");
            });
    assertThat(harness.getSideOutput(AdmitEvents.PROJECT)).hasSize(1);
    harness.close();
  }
}
