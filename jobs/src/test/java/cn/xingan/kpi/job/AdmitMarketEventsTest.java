package cn.xingan.kpi.job;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.MarketEvent;
import cn.xingan.kpi.events.MarketStatus;
import cn.xingan.kpi.events.MarketType;
import cn.xingan.kpi.events.Origin;
import cn.xingan.kpi.events.Rejection;
import cn.xingan.kpi.periods.CalendarPeriods;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** Market reports pass the admission gate to their own side output, and are late like any other. */
class AdmitMarketEventsTest {
  /** Sunday 2026-06-28 21:00 in Shanghai: its week ends 06-29 00:00, final 07-06 00:00 local. */
  private static final long SUNDAY_EVENING = Instant.parse("2026-06-28T13:00:00Z").toEpochMilli();

  private static final long FINAL_AT = Instant.parse("2026-07-05T16:00:00Z").toEpochMilli();

  private static Envelope report(String id) {
    MarketEvent e =
        new MarketEvent(
            id,
            SUNDAY_EVENING,
            "tuquan-chunzhou-night",
            "春州夜市",
            "tuquan",
            MarketType.NIGHT,
            MarketStatus.OPERATING,
            240,
            200,
            MarketEvent.ABSENT,
            MarketEvent.ABSENT);
    byte[] raw = ("{\"event_id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
    return Envelope.market(e, new Origin("market-stall-counts", 0, 5L, raw));
  }

  @Test
  void aReportGoesToTheMarketOutputUntilItsWeekIsFinal() throws Exception {
    OneInputStreamOperatorTestHarness<Envelope, Rejection> h =
        ProcessFunctionTestHarnesses.forProcessFunction(
            new AdmitEvents(
                new CalendarPeriods(ZoneId.of("Asia/Shanghai")), Duration.ofDays(7), "test"));
    h.processWatermark(FINAL_AT - 1);
    h.processElement(report("in-time"), SUNDAY_EVENING);
    h.processWatermark(FINAL_AT);
    h.processElement(report("late"), SUNDAY_EVENING);

    assertThat(h.getSideOutput(AdmitEvents.MARKET))
        .extracting(r -> r.getValue().eventId())
        .containsExactly("in-time");
    assertThat(h.getSideOutput(AdmitEvents.SERVICE)).isNull();
    assertThat(h.extractOutputValues())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.reason()).isEqualTo(Rejection.LATE);
              assertThat(r.eventId()).isEqualTo("late");
              assertThat(r.source()).isEqualTo("market-stall-counts");
            });
    h.close();
  }
}
