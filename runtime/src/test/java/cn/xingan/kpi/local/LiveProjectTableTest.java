package cn.xingan.kpi.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The quickstart's project view from rows as ClickHouse returns them, without ClickHouse. */
class LiveProjectTableTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  /** 2026-11-28 22:00 in Shanghai. */
  private static final Instant NOW = Instant.parse("2026-11-28T14:00:00Z");

  private static Map<String, Object> row(
      String period,
      String start,
      String scope,
      String key,
      String planned,
      String ytd,
      long version) {
    Map<String, Object> r = new HashMap<>();
    r.put("period", period);
    r.put("period_start", start);
    r.put("scope", scope);
    r.put("scope_key", key);
    r.put("projects", 197);
    r.put("planned", planned);
    r.put("investment", "1006000000.00");
    r.put("ytd", ytd);
    r.put("projects_reporting", 177);
    r.put("started", 0);
    r.put("completed", "4");
    r.put("progress_pct_avg", 45.25);
    r.put("is_final", 0);
    r.put("version", version);
    return r;
  }

  private static Map<String, Object> alert(String severity, String rule, long opened) {
    Map<String, Object> a = new HashMap<>();
    a.put("alert_id", "XA-1:" + rule);
    a.put("severity", severity);
    a.put("rule", rule);
    a.put("county", "arxan");
    a.put("project_id", "XA-1");
    a.put("project_name", "阿尔山市风电场项目");
    a.put("opened", opened);
    a.put("detail", "阿尔山市风电场项目 (arxan, wind-power): check 2026-03-16: " + "x".repeat(200));
    return a;
  }

  @Test
  void theCurrentPeriodsTheAreasAndTheOpenAlerts() {
    List<Map<String, Object>> rows = new ArrayList<>();
    rows.add(row("half_month", "2026-11-16", "league", "", "27211000000.00", "20992000000.00", 8));
    // an older version of the same row is ignored
    rows.add(row("half_month", "2026-11-16", "league", "", "1.00", "1.00", 6));
    rows.add(row("year", "2026-01-01", "league", "", "27211000000.00", "20992000000.00", 9));
    rows.add(row("year", "2026-01-01", "county", "arxan", "2865000000.00", "2048000000.00", 9));
    rows.add(row("year", "2026-01-01", "county", "ulanhot", "6792000000.00", "5304000000.00", 9));
    List<Map<String, Object>> alerts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      alerts.add(
          alert(
              i < 3 ? "critical" : "warning",
              i % 2 == 0 ? "behind_plan" : "no_report",
              1_773_590_400L)); // 2026-03-16 00:00 in Shanghai
    }
    String text = new LiveProjectTable(SHANGHAI).render(rows, alerts, NOW);
    String[] lines = text.split("\n");
    assertThat(text).contains("Major projects (amounts in 100 million yuan)");
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("half_month from 11-16")
                    .contains("197", "272.11", "10.06", "209.92", "77.1%", "177", "45.3%"));
    assertThat(lines)
        .anySatisfy(
            l -> assertThat(l).startsWith("month from 11-01").contains("no project events yet"));
    // areas in DOMAIN.md order: Ulanhot before Arxan
    assertThat(text.indexOf("  ulanhot")).isLessThan(text.indexOf("  arxan"));
    assertThat(text).contains("Open alerts: 10 (critical 3): behind_plan 5, no_report 5");
    assertThat(lines)
        .anySatisfy(
            l -> assertThat(l).contains("critical", "behind_plan", "arxan", "since 03-16", "..."));
    assertThat(text).contains("... and 2 more");
  }
}
