package cn.xingan.kpi.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The live market table from hand-made rows as ClickHouse's JSONEachRow gives them (UInt64 quoted
 * or not), with the expected occupancy worked out by hand in the comments.
 */
class LiveMarketTableTest {
  /** A Tuesday: week from Mon 06-29, month from 06-01. */
  private static final LocalDate TODAY = LocalDate.of(2026, 6, 30);

  private static Map<String, Object> row(
      String period,
      String start,
      String scope,
      String key,
      long markets,
      long occupied,
      long total,
      long peak,
      long operating,
      long upgrading,
      long closed,
      long workers,
      long jobs,
      int isFinal,
      long version) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("period", period);
    m.put("period_start", start);
    m.put("scope", scope);
    m.put("scope_key", key);
    m.put("markets_reporting", markets);
    m.put("observations", String.valueOf(markets * 3)); // UInt64 as ClickHouse may quote it
    m.put("stalls_occupied_sum", String.valueOf(occupied));
    m.put("stalls_total_sum", String.valueOf(total));
    m.put("stalls_occupied_peak", String.valueOf(peak));
    m.put("markets_operating", operating);
    m.put("markets_upgrading", upgrading);
    m.put("markets_closed", closed);
    m.put("workers_registered_latest", String.valueOf(workers));
    m.put("jobs_matched", String.valueOf(jobs));
    m.put("is_final", isFinal);
    m.put("version", String.valueOf(version));
    return m;
  }

  @Test
  void currentWeekAndMonthWithTheirMarketTypes() {
    List<Map<String, Object>> rows =
        List.of(
            // 3,900 of 5,000 = 78.0%
            row(
                "week",
                "2026-06-29",
                "league",
                "",
                48,
                3_900,
                5_000,
                4_321,
                35,
                12,
                1,
                2_771,
                312,
                0,
                900),
            // an older version of the same row loses
            row("week", "2026-06-29", "league", "", 1, 1, 2, 1, 1, 0, 0, 0, 0, 0, 10),
            // last week: not shown
            row("week", "2026-06-22", "league", "", 7, 7, 7, 7, 7, 0, 0, 0, 0, 1, 99),
            // gig before night in the input, shown after: 30/40 = 75.0%, 2/3 = 66.7%
            row(
                "week",
                "2026-06-29",
                "market_type",
                "gig",
                19,
                30,
                40,
                31,
                19,
                0,
                0,
                2_771,
                312,
                0,
                300),
            row("week", "2026-06-29", "market_type", "night", 9, 2, 3, 2, 5, 3, 1, 0, 0, 0, 40),
            // an upgrading market that set out no stalls: occupancy '-'
            row("month", "2026-06-01", "market_type", "farmers", 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 61));
    String text = LiveMarketTable.render(rows, TODAY);
    List<String> lines = text.lines().toList();
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).contains("markets", "occupancy", "peak", "upgr", "closed", "workers");
    assertThat(lines.get(1))
        .startsWith("week from 06-29")
        .contains(" 48 ", "78.0%", "4,321", " 35 ", " 12 ", "2,771", " 312 ")
        .endsWith("no");
    assertThat(lines.get(2)).startsWith("  night").contains("66.7%");
    assertThat(lines.get(3)).startsWith("  gig").contains("75.0%", "2,771");
    assertThat(lines.get(4)).startsWith("month from 06-01").contains("no reports yet");
    assertThat(lines.get(5)).startsWith("  farmers").contains(" - ").endsWith("yes");
  }

  @Test
  void theQueryReadsTheLeagueAndTypesOfOpenWeeksAndMonths() {
    assertThat(LiveMarketTable.QUERY)
        .contains("FROM kpi_market FINAL", "'league', 'market_type'", "'week', 'month'");
    assertThat(LiveMarketTable.query("kpi")).contains("FROM kpi.kpi_market FINAL");
    assertThatThrownBy(() -> LiveMarketTable.query("kpi; DROP"))
        .hasMessageContaining("'kpi; DROP'");
  }
}
