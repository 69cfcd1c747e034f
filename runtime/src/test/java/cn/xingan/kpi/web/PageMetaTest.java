package cn.xingan.kpi.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** "This week / half month / month" are local to the zone: the boundaries at local midnight. */
class PageMetaTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  @SuppressWarnings("unchecked")
  private static Map<String, String> period(String instant, String kind) {
    Map<String, Object> meta = PageMeta.at(Instant.parse(instant), SHANGHAI);
    return (Map<String, String>) ((Map<String, Object>) meta.get("periods")).get(kind);
  }

  @Test
  void theSixteenthStartsAtLocalMidnightWhichIsFourPmUtcTheDayBefore() {
    assertThat(period("2026-06-15T15:59:59Z", "half_month"))
        .containsEntry("start", "2026-06-01")
        .containsEntry("end", "2026-06-15");
    assertThat(period("2026-06-15T16:00:00Z", "half_month"))
        .containsEntry("start", "2026-06-16")
        .containsEntry("end", "2026-06-30");
  }

  @Test
  void weeksAreIsoWeeksMondayToSundayAcrossTheYearEnd() {
    // Thursday 2026-12-31 in Shanghai; its ISO week runs Mon 2026-12-28 to Sun 2027-01-03.
    assertThat(period("2026-12-31T03:00:00Z", "week"))
        .containsEntry("start", "2026-12-28")
        .containsEntry("end", "2027-01-03");
    // Sunday 2026-11-29 23:30 local is still the week of Monday 2026-11-23.
    assertThat(period("2026-11-29T15:30:00Z", "week")).containsEntry("start", "2026-11-23");
    assertThat(period("2026-11-29T16:00:00Z", "week")).containsEntry("start", "2026-11-30");
  }

  @Test
  void todayAndTheMonthAreTheZonesNotUtcs() {
    Map<String, Object> meta = PageMeta.at(Instant.parse("2026-02-28T16:30:00Z"), SHANGHAI);
    assertThat(meta).containsEntry("zone", "Asia/Shanghai").containsEntry("today", "2026-03-01");
    assertThat(period("2026-02-28T16:30:00Z", "month"))
        .containsEntry("start", "2026-03-01")
        .containsEntry("end", "2026-03-31");
    assertThat(period("2026-02-28T15:30:00Z", "month")).containsEntry("end", "2026-02-28");
  }
}
