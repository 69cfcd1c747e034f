package cn.xingan.kpi.testing.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The expansion the ITCase relies on, against the strings the plugin's own macros produce
 * (grafana-clickhouse-datasource pkg/macros): if these drift, the dashboards would be tested with
 * SQL Grafana never sends.
 */
class GrafanaMacrosTest {
  // 2026-06-30T16:30:00Z is July 1 00:30 in Shanghai: the plugin formats dates in UTC.
  private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-06-30T16:30:00Z");

  @Test
  void expandsTheTimeMacrosAsThePluginDoes() {
    assertThat(GrafanaMacros.expand("WHERE $__timeFilter(opened_at)", Map.of(), FROM, TO, 60))
        .isEqualTo(
            "WHERE opened_at >= toDateTime(1767225600) AND opened_at <= toDateTime(1782837000)");
    assertThat(GrafanaMacros.expand("WHERE $__dateFilter(period_start)", Map.of(), FROM, TO, 60))
        .isEqualTo(
            "WHERE period_start >= toDate('2026-01-01') AND period_start <= toDate('2026-06-30')");
    assertThat(GrafanaMacros.expand("$__fromTime, $__toTime, $__interval_s", Map.of(), FROM, TO, 0))
        .isEqualTo("toDateTime(1767225600), toDateTime(1782837000), 1");
    assertThat(
            GrafanaMacros.expand(
                "$__timeFilter(toDateTime(d, 'Asia/Shanghai'))", Map.of(), FROM, TO, 60))
        .startsWith("toDateTime(d, 'Asia/Shanghai') >= toDateTime(1767225600) AND ");
  }

  @Test
  void replacesVariablesBeforeMacros() {
    assertThat(
            GrafanaMacros.expand(
                "period = '${period}' AND $__dateFilter(${column})",
                Map.of("period", "week", "column", "period_start"),
                FROM,
                TO,
                60))
        .isEqualTo(
            "period = 'week' AND period_start >= toDate('2026-01-01')"
                + " AND period_start <= toDate('2026-06-30')");
  }

  @Test
  void refusesWhatItCannotExpand() {
    assertThatThrownBy(() -> GrafanaMacros.expand("$__timeInterval(t)", Map.of(), FROM, TO, 60))
        .hasMessageContaining("$__timeInterval is not supported");
    assertThatThrownBy(() -> GrafanaMacros.expand("'${area}'", Map.of(), FROM, TO, 60))
        .hasMessageContaining("${area}");
    assertThatThrownBy(() -> GrafanaMacros.expand("'$area'", Map.of(), FROM, TO, 60))
        .hasMessageContaining("unexpanded '$'");
    assertThatThrownBy(() -> GrafanaMacros.expand("$__dateFilter()", Map.of(), FROM, TO, 60))
        .hasMessageContaining("takes one column");
  }
}
