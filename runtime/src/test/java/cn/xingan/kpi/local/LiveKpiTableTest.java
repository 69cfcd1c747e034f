package cn.xingan.kpi.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The live table from hand-made JSONEachRow lines, as ClickHouse writes them (UInt64 quoted), with
 * the expected percentages worked out by hand in the comments.
 */
class LiveKpiTableTest {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  // Tuesday: week from Mon 06-29, half month from 06-16, month from 06-01.
  private static final Instant NOW = Instant.parse("2026-06-30T02:15:02Z");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final String[] JSON_EACH_ROW = {
    // 90/100 on time, 45/100 online, 60/100 zero visits, 2500 h/100, 46/50 satisfied
    row(
        "week",
        "2026-06-29",
        "league",
        "",
        "120",
        "100",
        "90",
        "45",
        "60",
        "2500",
        "50",
        "46",
        0,
        300),
    // an older version of the same row: must lose to version 300
    row("week", "2026-06-29", "league", "", "99", "99", "1", "1", "1", "1", "1", "1", 0, 200),
    // last week, final: not current
    row("week", "2026-06-22", "league", "", "7", "7", "7", "7", "7", "7", "7", "7", 1, 14),
    // 700/800 = 87.5%, 400/800 = 50%, 320/800 = 40%, 9600/800 = 12 h, no ratings
    row(
        "half_month",
        "2026-06-16",
        "league",
        "",
        "1000",
        "800",
        "700",
        "400",
        "320",
        "9600",
        "0",
        "0",
        0,
        1900),
    // 2/3 = 66.7%, 1/3 = 33.3%, 0/3 = 0%, 10/3 = 3.3 h, 3/3 = 100%
    row(
        "month",
        "2026-06-01",
        "county",
        "ulanhot",
        "500",
        "3",
        "2",
        "1",
        "0",
        "10",
        "3",
        "3",
        0,
        506),
    // nothing completed yet: every ratio is '-'
    row("month", "2026-06-01", "county", "tuquan", "4", "0", "0", "0", "0", "0", "0", "0", 0, 4),
    row("month", "2026-06-01", "county", "arxan", "8", "8", "8", "8", "8", "8", "8", "8", 0, 16),
    // last month: not current
    row("month", "2026-05-01", "county", "jalaid", "5", "5", "5", "5", "5", "5", "5", "5", 1, 10),
  };

  @Test
  void showsTheCurrentPeriodsWithRatiosWorkedByHand() throws Exception {
    String text = new LiveKpiTable(SHANGHAI, false).render(rows(), NOW, 12_345);
    List<String> lines = text.lines().toList();

    assertThat(lines.get(0)).contains("2026-06-30 10:15:02", "Asia/Shanghai", "12,345");
    assertThat(tokens(lines.get(1)))
        .containsExactly(
            "accepted", "completed", "on-time", "online", "0-visit", "avg", "h", "satisf", "final");
    assertThat(tokens(lines.get(2)))
        .containsExactly(
            "week", "from", "06-29", "120", "100", "90.0%", "45.0%", "60.0%", "25.0", "92.0%",
            "no");
    assertThat(tokens(lines.get(3)))
        .containsExactly(
            "half_month",
            "from",
            "06-16",
            "1,000",
            "800",
            "87.5%",
            "50.0%",
            "40.0%",
            "12.0",
            "-",
            "no");
    assertThat(lines.get(4)).startsWith("month from 06-01").contains("no events yet");
    // areas in DOMAIN.md order: ulanhot, arxan, ..., tuquan
    assertThat(tokens(lines.get(5)))
        .containsExactly("ulanhot", "500", "3", "66.7%", "33.3%", "0.0%", "3.3", "100.0%", "no");
    assertThat(tokens(lines.get(6))).startsWith("arxan", "8", "8", "100.0%");
    assertThat(tokens(lines.get(7)))
        .containsExactly("tuquan", "4", "0", "-", "-", "-", "-", "-", "no");
    assertThat(lines).hasSize(8);
    // fixed widths: the column header and every full line end at the same column
    for (int i : new int[] {2, 3, 5, 6, 7}) {
      assertThat(lines.get(i)).hasSameSizeAs(lines.get(1));
    }
    assertThat(text).doesNotContain("\u001b");
  }

  @Test
  void clearsTheScreenOnlyWhenAsked() throws Exception {
    assertThat(new LiveKpiTable(SHANGHAI, true).render(rows(), NOW, 0))
        .startsWith("\u001b[H\u001b[2J");
    assertThat(new LiveKpiTable(SHANGHAI, true).render(List.of(), NOW, 0))
        .contains("week from 06-29", "no events yet");
  }

  @Test
  void periodsFollowTheTableZone() throws Exception {
    // 2026-06-15T17:00Z is 06-16 01:00 in Shanghai (second half of June) but 06-15 in UTC.
    Instant boundary = Instant.parse("2026-06-15T17:00:00Z");
    String shanghai = new LiveKpiTable(SHANGHAI, false).render(rows(), boundary, 1);
    assertThat(shanghai).contains("2026-06-16 01:00:00");
    assertThat(tokens(shanghai.lines().toList().get(3)))
        .startsWith("half_month", "from", "06-16", "1,000");
    String utc = new LiveKpiTable(ZoneId.of("UTC"), false).render(rows(), boundary, 1);
    assertThat(utc).contains("2026-06-15 17:00:00");
    assertThat(utc.lines().toList().get(3))
        .startsWith("half_month from 06-01")
        .contains("no events yet");
  }

  @Test
  void countsTheHeadlineLinesThatHaveARow() throws Exception {
    LiveKpiTable table = new LiveKpiTable(SHANGHAI, false);
    // the league's week from 06-29 (two versions: one line) and half month from 06-16; the month
    // of 06-01 has county rows only, and last week's league row is not a headline
    assertThat(table.headlines(rows(), NOW)).isEqualTo(2);
    assertThat(table.headlines(List.of(), NOW)).isZero();
    // a week later every headline is a new period (week 07-06, half month and month 07-01)
    assertThat(table.headlines(rows(), Instant.parse("2026-07-07T02:00:00Z"))).isZero();
    assertThat(LiveKpiTable.HEADLINES).isEqualTo(3);
  }

  @Test
  void badValuesAreNamed() {
    Map<String, Object> bad =
        Map.of(
            "period", "week", "period_start", "2026-06-29", "scope", "league", "completed", "x1");
    assertThatThrownBy(() -> new LiveKpiTable(SHANGHAI, false).render(List.of(bad), NOW, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("completed")
        .hasMessageContaining("x1");
  }

  @Test
  void theQueryReadsFinalRowsWithoutWindowFunctions() {
    assertThat(LiveKpiTable.QUERY)
        .contains("FROM kpi_service FINAL", "'league', 'county'")
        .doesNotContain("FORMAT") // ClickHouseHttp.queryJson adds it
        .doesNotContain(" OVER ");
    assertThat(LiveKpiTable.query("kpi")).contains("FROM kpi.kpi_service FINAL");
    assertThatThrownBy(() -> LiveKpiTable.query("kpi; DROP"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kpi; DROP");
  }

  private static List<Map<String, Object>> rows() throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String line : JSON_EACH_ROW) {
      rows.add(MAPPER.readValue(line, new TypeReference<Map<String, Object>>() {}));
    }
    return rows;
  }

  private static List<String> tokens(String line) {
    return Arrays.asList(line.trim().split("\\s+"));
  }

  /** A JSONEachRow line in ClickHouse's shape: UInt64 quoted, Float64 and UInt8 bare. */
  private static String row(
      String period,
      String start,
      String scope,
      String key,
      String accepted,
      String completed,
      String onTime,
      String online,
      String zeroVisit,
      String hours,
      String responses,
      String positive,
      int isFinal,
      long version) {
    return String.format(
        "{\"period\":\"%s\",\"period_start\":\"%s\",\"period_end\":\"2026-12-31\",\"scope\":\"%s\","
            + "\"scope_key\":\"%s\",\"accepted\":\"%s\",\"completed\":\"%s\",\"rejected\":\"0\","
            + "\"completed_on_time\":\"%s\",\"completed_online\":\"%s\","
            + "\"completed_zero_visit\":\"%s\",\"processing_hours_sum\":%s,"
            + "\"satisfaction_responses\":\"%s\",\"satisfaction_positive\":\"%s\","
            + "\"is_final\":%d,\"version\":\"%d\"}",
        period, start, scope, key, accepted, completed, onTime, online, zeroVisit, hours, responses,
        positive, isFinal, version);
  }
}
