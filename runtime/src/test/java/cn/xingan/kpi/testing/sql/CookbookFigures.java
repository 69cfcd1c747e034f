package cn.xingan.kpi.testing.sql;

import static cn.xingan.kpi.testing.sql.QueryResult.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The figures the planners' queries must give on {@link HandMadeData}, worked out by hand there (a
 * few depend on whether R, the last complete half month, falls in the current month, quarter or
 * year: then both cases are written out). Kept apart from the ITCase so that one file holds the
 * expectations of the cookbook.
 */
final class CookbookFigures {
  private CookbookFigures() {}

  static void check(Map<String, QueryResult> r, HandMadeData data, AlertOracle alerts) {
    assertThat(r.get("market_occupancy_last_8_weeks.sql").rows())
        .extracting(row -> number(row, "occupancy"), row -> number(row, "change_pp"))
        .containsExactly(tuple(0.5, null), tuple(0.8, 30.0), tuple(0.6875, -11.25));
    assertThat(number(r.get("investment_yoy_by_chain.sql").row("chain", "dairy"), "yoy_pct"))
        .isEqualTo(22.7);
    assertThat(number(r.get("investment_yoy_by_chain.sql").row("chain", "corn"), "yoy_pct"))
        .isEqualTo(0.0);
    Map<String, JsonNode> league = r.get("investment_yoy_by_county.sql").rows().get(0);
    assertThat(league.get("area").asText()).isEqualTo("League");
    assertThat(number(league, "yoy_pct")).isEqualTo(15.1);
    Map<String, JsonNode> services = r.get("service_volume_yoy.sql").rows().get(0);
    assertThat(number(services, "completed_yoy_pct")).isEqualTo(-50.0);
    assertThat(number(services, "on_time_change_pp")).isEqualTo(-25.0);
    Map<String, JsonNode> dispatch = r.get("weekly_dispatch_summary.sql").single();
    assertThat(number(dispatch, "completed")).isEqualTo(4.0);
    assertThat(number(dispatch, "on_time_rate")).isEqualTo(0.75);
    assertThat(number(dispatch, "occupancy")).isEqualTo(0.6875);
    assertThat(number(dispatch, "projects_lagging")).isEqualTo(1.0);
    boolean refInMonth = data.refInCurrentMonth();
    Map<String, JsonNode> late =
        r.get("services_missing_promise_most.sql").row("service", "mortgage-filing");
    assertThat(number(late, "completed")).isEqualTo(refInMonth ? 4.0 : 2.0);
    assertThat(number(late, "late")).isEqualTo(refInMonth ? 2.0 : 1.0);
    Map<String, JsonNode> online =
        r.get("departments_raising_online_share.sql").row("department", "natural-resources");
    if (refInMonth) { // S1, S3, T1 online of 5 this month; no service last month
      assertThat(number(online, "online_share_this_month")).isEqualTo(0.6);
      assertThat(number(online, "change_pp")).isNull();
    } else { // 2 of 3 this month; last month R: T1 online of T1, T2
      assertThat(number(online, "online_share_this_month")).isEqualTo(0.6667);
      assertThat(number(online, "change_pp")).isEqualTo(16.67);
    }
    Map<String, JsonNode> security =
        r.get("days_saved_by_department_this_year.sql").row("department", "public-security");
    assertThat(number(security, "days_saved_avg")).isEqualTo(9.0);
    assertThat(number(security, "promised_days_saved_avg")).isEqualTo(8.0);
    assertThat(number(security, "statutory_time_used")).isEqualTo(0.4);
    assertThat(r.get("satisfaction_below_target_this_quarter.sql").rows())
        .singleElement()
        .satisfies(row -> assertThat(row.get("county").asText()).isEqualTo("ulanhot"))
        .satisfies(row -> assertThat(number(row, "satisfied_share")).isEqualTo(0.5));
    Map<String, JsonNode> gig = r.get("gig_markets_this_month.sql").single();
    assertThat(number(gig, "workers_registered")).isEqualTo(150.0);
    assertThat(number(gig, "jobs_per_worker")).isEqualTo(0.08);
    assertThat(
            number(
                r.get("milestones_this_quarter_by_chain.sql").row("chain", "dairy"), "completed"))
        .isEqualTo(1.0);
    assertThat(
            number(
                r.get("lagging_projects_by_chain.sql").row("chain", "new-energy"),
                "projects_lagging"))
        .isEqualTo(1.0);
    assertThat(r.get("open_alerts.sql").rows()).hasSize(alerts.open().size());
    assertThat(r.get("projects_not_reporting.sql").rows())
        .hasSize(
            alerts
                .openCount(a -> "all", a -> a.rule().equals("no_report"))
                .getOrDefault("all", 0L)
                .intValue());
    assertThat(
            number(
                r.get("investment_vs_plan_by_county_this_year.sql").row("county", "ulanhot"),
                "plan_completion"))
        .isEqualTo(data.refYear == data.today.getYear() ? 0.5 : 0.0);
    assertThat(r.get("rejections_last_24_hours.sql").rows()).isEmpty();
  }
}
