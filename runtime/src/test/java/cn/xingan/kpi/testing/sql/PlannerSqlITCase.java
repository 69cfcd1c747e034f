package cn.xingan.kpi.testing.sql;

import static cn.xingan.kpi.testing.sql.QueryResult.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import cn.xingan.kpi.app.FlinkSettings;
import cn.xingan.kpi.app.Pipelines;
import cn.xingan.kpi.config.EngineOptions;
import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.sink.ClickHouseHttp;
import cn.xingan.kpi.testing.ClickHouseExtension;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What planners and operators query, on a real ClickHouse (the installed 18.16 here): the hand-made
 * data of {@link HandMadeData} goes through the job's own backfill path, then every view of {@code
 * sql/}, every planner's query of {@code sql/queries/} and every query of the Grafana dashboards
 * and alert rules (macros and variables expanded as Grafana would) runs on the server, returns the
 * columns it promises, and the headline figures equal the hand-worked ones.
 *
 * <p>The data sits around today's local date, so the "current period" views see it; if local
 * midnight passes while the class runs, the remaining tests are skipped rather than wrong.
 */
class PlannerSqlITCase {
  private static final double EPS = 1e-9;
  private static final String LEAGUE = "scope = 'league'";

  @RegisterExtension static final ClickHouseExtension CLICKHOUSE = new ClickHouseExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @TempDir static Path input;

  private static HandMadeData data;
  private static ClickHouseHttp ch;
  private static AlertOracle alerts;

  @BeforeAll
  static void backfillTheHandMadeData() throws Exception {
    ch = CLICKHOUSE.http();
    data = new HandMadeData(LocalDate.now(HandMadeData.ZONE));
    assertThat(serverToday()).as("the server's date in Asia/Shanghai").isEqualTo(data.today);
    Files.write(input.resolve("hand-made.jsonl"), data.lines(), StandardCharsets.UTF_8);
    KpiOptions options = KpiOptions.builder().clickhouse(CLICKHOUSE.endpoint()).build();
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            FlinkSettings.batch(EngineOptions.defaults().withParallelism(2)));
    Pipelines.backfill(env, options, input, false);
    env.execute("planner sql backfill");
    assertThat(ch.queryJson("SELECT reason, detail FROM rejected_events"))
        .as("the hand-made events are all valid")
        .isEmpty();
    alerts = new AlertOracle(ch);
  }

  @BeforeEach
  void stillTheSameDay() {
    assumeThat(serverToday()).as("local midnight passed during the test").isEqualTo(data.today);
  }

  // ---- views ----

  @Test
  void everyViewIsDocumentedWithTheColumnsItHas() {
    Map<String, SqlDocs.ViewDoc> documented = SqlDocs.views();
    List<String> views =
        ch
            .queryJson(
                "SELECT name FROM system.tables WHERE database = currentDatabase()"
                    + " AND engine = 'View' ORDER BY name")
            .stream()
            .map(r -> (String) r.get("name"))
            .toList();
    assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(views);
    boolean typesAsDocumented = ch.serverVersion().startsWith("18.");
    for (String view : views) {
      List<SqlDocs.Column> actual = describe(view);
      SqlDocs.ViewDoc doc = documented.get(view);
      List<SqlDocs.Column> expected = doc.columns();
      if (doc.sameAs() != null) { // the columns of another documented view, or of a table
        SqlDocs.ViewDoc other = documented.get(doc.sameAs());
        expected = other != null ? other.columns() : describe(doc.sameAs());
      }
      assertThat(expected).as("documented columns of %s", view).isNotEmpty();
      assertThat(actual.stream().map(SqlDocs.Column::name))
          .as("columns of %s", view)
          .containsExactlyElementsOf(expected.stream().map(SqlDocs.Column::name).toList());
      if (typesAsDocumented) {
        assertThat(actual).as("column types of %s (as 18.16 names them)", view).isEqualTo(expected);
      }
      QueryResult.run(ch, "SELECT * FROM " + view); // every view also runs on this data
    }
  }

  @Test
  void currentPeriodsAreTheLocalPeriodsOfToday() {
    LocalDate t = data.today;
    LocalDate half = t.withDayOfMonth(t.getDayOfMonth() <= 15 ? 1 : 16);
    LocalDate quarter = t.with(IsoFields.DAY_OF_QUARTER, 1);
    Map<String, List<LocalDate>> expected = new LinkedHashMap<>();
    expected.put("week", List.of(t.with(DayOfWeek.MONDAY), t.with(DayOfWeek.SUNDAY)));
    expected.put(
        "half_month",
        List.of(half, half.getDayOfMonth() == 1 ? half.plusDays(14) : monthEnd(half)));
    expected.put("month", List.of(t.withDayOfMonth(1), monthEnd(t)));
    expected.put("quarter", List.of(quarter, quarter.plusMonths(3).minusDays(1)));
    expected.put("year", List.of(t.withDayOfYear(1), t.withDayOfYear(t.lengthOfYear())));
    QueryResult r = QueryResult.run(ch, "SELECT * FROM current_periods");
    assertThat(r.rows()).hasSize(5);
    for (Map<String, JsonNode> row : r.rows()) {
      List<LocalDate> range = expected.get(row.get("period").asText());
      assertThat(List.of(date(row, "period_start"), date(row, "period_end"))).isEqualTo(range);
      assertThat(date(row, "local_date")).isEqualTo(t);
      assertThat(number(row, "days_elapsed"))
          .isEqualTo(t.toEpochDay() - range.get(0).toEpochDay() + 1.0);
      assertThat(number(row, "days_total"))
          .isEqualTo(range.get(1).toEpochDay() - range.get(0).toEpochDay() + 1.0);
    }
  }

  @Test
  void serviceRatesOfThisWeekAndHalfMonthAreTheHandWorkedOnes() {
    for (String period : List.of("week", "half_month")) {
      Map<String, JsonNode> row =
          QueryResult.run(
                  ch, "SELECT * FROM service_current WHERE period = '" + period + "' AND " + LEAGUE)
              .single();
      Map<String, Double> expected = new LinkedHashMap<>();
      expected.put("accepted", 1.0);
      expected.put("completed", 4.0);
      expected.put("rejected", 1.0);
      expected.put("on_time_rate", 0.75);
      expected.put("online_share", 0.5);
      expected.put("zero_visit_share", 0.75);
      expected.put("satisfied_share", 2.0 / 3);
      expected.put("processing_days_avg", 3.75);
      expected.put("processing_days_max", 6.0);
      expected.put("promised_days_avg", 8.25);
      expected.put("statutory_days_avg", 58.75);
      expected.put("days_saved_sum", 220.0);
      expected.put("days_saved_avg", 55.0);
      expected.put("promised_days_saved_avg", 50.5);
      expected.put("statutory_time_used", 15.0 / 235);
      assertNumbers(period + " league", row, expected);
    }
    // The month also holds R's two completed transactions when R lies in this month.
    Map<String, JsonNode> month =
        QueryResult.run(ch, "SELECT * FROM service_current WHERE period = 'month' AND " + LEAGUE)
            .single();
    double extra = data.refInCurrentMonth() ? 2 : 0;
    assertThat(number(month, "completed")).isEqualTo(4 + extra);
    assertThat(number(month, "completed_on_time")).isEqualTo(3 + extra / 2);
    // A division by zero is NULL, not an error or 0: public-security's only completion (S4) has
    // no rating.
    Map<String, JsonNode> noRating =
        QueryResult.run(
                ch,
                "SELECT * FROM service_rates WHERE period = 'week' AND scope = 'department'"
                    + " AND scope_key = 'public-security' AND period_start = '"
                    + data.today.with(DayOfWeek.MONDAY)
                    + "'")
            .single();
    assertThat(number(noRating, "satisfaction_responses")).isZero();
    assertThat(number(noRating, "satisfied_share")).isNull();
    assertThat(number(noRating, "days_saved_avg")).isEqualTo(9.0); // 15 - 6 days
  }

  @Test
  void marketRatesOfThisWeekAndTheWeeksBefore() {
    Map<String, JsonNode> week =
        QueryResult.run(ch, "SELECT * FROM market_current WHERE period = 'week' AND " + LEAGUE)
            .single();
    Map<String, Double> expected = new LinkedHashMap<>();
    expected.put("occupancy", 220.0 / 320);
    expected.put("observations", 4.0);
    expected.put("stalls_per_report", 80.0);
    expected.put("markets_reporting", 3.0);
    expected.put("markets_operating", 2.0);
    expected.put("markets_upgrading", 1.0);
    expected.put("markets_closed", 0.0);
    expected.put("operating_share", 2.0 / 3);
    expected.put("stalls_occupied_peak", 136.0);
    expected.put("workers_registered_latest", 150.0);
    expected.put("jobs_matched", 12.0);
    expected.put("jobs_per_worker", 0.08);
    assertNumbers("this week", week, expected);
    Map<String, JsonNode> ulanhot =
        QueryResult.run(
                ch,
                "SELECT * FROM market_current WHERE period = 'week' AND scope = 'county'"
                    + " AND scope_key = 'ulanhot'")
            .single();
    assertThat(number(ulanhot, "occupancy")).isCloseTo(0.75, within(EPS));
    List<Double> weekly =
        QueryResult.run(
                ch,
                "SELECT occupancy FROM market_rates WHERE period = 'week' AND "
                    + LEAGUE
                    + " ORDER BY period_start")
            .rows()
            .stream()
            .map(r -> number(r, "occupancy"))
            .toList();
    assertThat(weekly).containsExactly(0.5, 0.8, 0.6875);
  }

  @Test
  void aChartShowsThePeriodThatBeganTodayFromLocalMidnight() {
    // One minute into this week in local time is still the previous day in UTC: the chart's range
    // ends there, and the week that has just begun is its last point.
    LocalDate monday = data.today.with(DayOfWeek.MONDAY);
    Instant justAfterMidnight = monday.atStartOfDay(HandMadeData.ZONE).toInstant().plusSeconds(60);
    Map<String, String> week = Map.of("period", "week", "area", "all");
    List<Map<String, JsonNode>> rows =
        panel("xingan-kpi-overview", "Stall occupancy by ${period}", week, justAfterMidnight)
            .rows();
    assertThat(rows).isNotEmpty();
    assertThat(rows.get(rows.size() - 1).get("time").asText())
        .as("the last point of the chart")
        .isEqualTo(monday + " 00:00:00");
  }

  @Test
  void planCompletionIsYearToDateAgainstTheAnnualPlan() {
    String yearRow =
        "SELECT * FROM project_rates WHERE period = 'year' AND period_start = '"
            + LocalDate.of(data.refYear, 1, 1)
            + "' AND ";
    Map<String, JsonNode> league = QueryResult.run(ch, yearRow + LEAGUE).single();
    assertThat(number(league, "projects")).isEqualTo(3.0);
    assertThat(number(league, "planned_year_cny")).isEqualTo(7454.0);
    assertThat(number(league, "investment_ytd_cny")).isEqualTo(1727.0);
    assertThat(number(league, "plan_completion")).isCloseTo(1727.0 / 7454, within(EPS));
    assertThat(number(league, "year_elapsed_at_end")).isEqualTo(1.0);
    for (String county : List.of("ulanhot", "arxan")) {
      Map<String, JsonNode> row =
          QueryResult.run(ch, yearRow + "scope = 'county' AND scope_key = '" + county + "'")
              .single();
      assertThat(number(row, "plan_completion")).as(county).isCloseTo(0.5, within(EPS));
    }
    // This calendar year: R's year, or (in the first half of January) a year without investment.
    Map<String, JsonNode> current =
        QueryResult.run(ch, "SELECT * FROM project_current WHERE period = 'year' AND " + LEAGUE)
            .single();
    assertThat(number(current, "plan_completion")).isCloseTo(expectedPlanCompletion(), within(EPS));
  }

  @Test
  void yearOnYearComparesYearToDateWithTheSamePeriodLastYear() {
    String at = "SELECT * FROM project_yoy WHERE period_start = '" + data.refStart + "' AND ";
    Map<String, JsonNode> league = QueryResult.run(ch, at + LEAGUE).single();
    assertThat(date(league, "period_end")).isEqualTo(data.refEnd);
    assertThat(date(league, "ly_period_start")).isEqualTo(data.lastYearStart);
    assertThat(date(league, "ly_period_end")).isEqualTo(data.lastYearEnd);
    assertThat(number(league, "complete")).isEqualTo(1.0);
    assertThat(number(league, "investment_ytd_cny")).isEqualTo(1727.0);
    assertThat(number(league, "investment_ytd_ly_cny")).isEqualTo(1500.0);
    assertThat(number(league, "investment_ytd_yoy_pct"))
        .isCloseTo(100 * (1727.0 / 1500 - 1), within(1e-9));
    // R's own half month: 1000 + 500, and P1's Jan 1 investment when R is Jan 1-15.
    assertThat(number(league, "investment_cny"))
        .isEqualTo(data.refStart.getDayOfYear() == 1 ? 1727.0 : 1500.0);
    assertThat(number(league, "investment_ly_cny"))
        .isEqualTo(data.lastYearStart.getDayOfYear() == 1 ? 1500.0 : 1300.0);
    Map<String, Double> byKey = new TreeMap<>();
    for (Map<String, JsonNode> row :
        QueryResult.run(ch, at + "scope IN ('county', 'chain') AND investment_ytd_ly_cny > 0")
            .rows()) {
      byKey.put(
          row.get("scope").asText() + ":" + row.get("scope_key").asText(),
          Math.round(number(row, "investment_ytd_yoy_pct") * 1000) / 1000.0);
    }
    assertThat(byKey)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "county:ulanhot",
                22.7,
                "county:arxan",
                0.0,
                "chain:dairy",
                22.7,
                "chain:corn",
                0.0));
    assertThat(QueryResult.run(ch, "SELECT * FROM project_yoy_latest").rows())
        .isEqualTo(QueryResult.run(ch, at + "1").rows());

    Map<String, JsonNode> services =
        QueryResult.run(ch, "SELECT * FROM service_yoy_latest WHERE " + LEAGUE).single();
    Map<String, Double> expected = new LinkedHashMap<>();
    expected.put("completed", 2.0);
    expected.put("completed_ly", 4.0);
    expected.put("completed_ytd", 2.0);
    expected.put("completed_ytd_ly", 4.0);
    expected.put("completed_ytd_yoy_pct", -50.0);
    expected.put("accepted_ytd", 1.0);
    expected.put("accepted_ytd_ly", 2.0);
    expected.put("accepted_ytd_yoy_pct", -50.0);
    expected.put("on_time_rate_ytd", 0.5);
    expected.put("on_time_rate_ytd_ly", 0.75);
    expected.put("on_time_rate_ytd_change_pp", -25.0);
    expected.put("online_share_ytd", 0.5);
    expected.put("online_share_ytd_ly", 0.5);
    assertNumbers("services year on year", services, expected);
    assertThat(date(services, "period_start")).isEqualTo(data.refStart);
  }

  @Test
  void laggingViewsCountTheProjectsWithOpenAlerts() {
    QueryResult projects = QueryResult.run(ch, "SELECT * FROM lagging_projects");
    Map<String, Long> openPerProject = alerts.openCount(AlertOracle.Alert::projectId, a -> true);
    assertThat(openPerProject.keySet()).as("hand-worked: only P3 lags").containsExactly("P3");
    Map<String, JsonNode> p3 = projects.single();
    assertThat(p3.get("project_id").asText()).isEqualTo("P3");
    assertThat(p3.get("county").asText()).isEqualTo("horqin-right-middle");
    assertThat(p3.get("chain").asText()).isEqualTo("new-energy");
    assertThat(p3.get("rules").asText()).contains("start_overdue"); // since T-13, never started
    assertThat(number(p3, "open_alerts")).isEqualTo(openPerProject.get("P3").doubleValue());
    long critical =
        alerts
            .openCount(AlertOracle.Alert::projectId, a -> a.severity().equals("critical"))
            .getOrDefault("P3", 0L);
    assertThat(number(p3, "critical_alerts")).isEqualTo((double) critical);
    assertThat(p3.get("severity").asText()).isEqualTo(critical > 0 ? "critical" : "warning");
    assertThat(number(p3, "planned_year_cny")).isEqualTo(4000.0);

    QueryResult areas = QueryResult.run(ch, "SELECT * FROM lagging_by_area");
    Map<String, JsonNode> league = areas.where("scope", "league").get(0);
    assertThat(number(league, "projects")).isEqualTo(3.0);
    assertThat(number(league, "projects_lagging")).isEqualTo(1.0);
    assertThat(number(league, "open_alerts")).isEqualTo((double) alerts.open().size());
    assertThat(number(league, "plan_completion")).isCloseTo(expectedPlanCompletion(), within(EPS));
    Map<String, JsonNode> p3County = area(areas, "county", "horqin-right-middle");
    assertThat(number(p3County, "projects")).isEqualTo(1.0);
    assertThat(number(p3County, "lagging_share")).isEqualTo(1.0);
    for (String rule : List.of("behind_plan", "start_overdue", "no_report")) {
      long expected =
          alerts
              .openCount(AlertOracle.Alert::county, a -> a.rule().equals(rule))
              .getOrDefault("horqin-right-middle", 0L);
      assertThat(number(p3County, rule)).as(rule).isEqualTo((double) expected);
    }
    Map<String, JsonNode> ulanhot = area(areas, "county", "ulanhot");
    assertThat(number(ulanhot, "projects")).isEqualTo(1.0);
    assertThat(number(ulanhot, "projects_lagging")).isZero();
    assertThat(number(ulanhot, "lagging_share")).isZero();
    assertThat(number(area(areas, "chain", "new-energy"), "projects_lagging")).isEqualTo(1.0);
  }

  // ---- the planners' cookbook ----

  @Test
  void everyPlannersQueryAsksAQuestionRunsAndReturnsItsColumns() {
    List<SqlDocs.CookbookQuery> cookbook = SqlDocs.cookbook();
    assertThat(cookbook).hasSizeGreaterThanOrEqualTo(12);
    String readme = SqlDocs.read(SqlDocs.QUERIES.resolve("README.md"));
    Map<String, QueryResult> results = new TreeMap<>();
    for (SqlDocs.CookbookQuery q : cookbook) {
      assertThat(q.question()).as("first line of %s", q.file()).endsWith("?");
      assertThat(readme)
          .as("sql/queries/README.md lists %s", q.file())
          .contains(q.file(), q.question());
      QueryResult r = QueryResult.run(ch, q.sql());
      assertThat(r.columns()).as("columns of %s", q.file()).containsExactlyElementsOf(q.returns());
      results.put(q.file(), r);
    }
    CookbookFigures.check(results, data, alerts);
  }

  // ---- Grafana ----

  @Test
  void everyDashboardQueryRunsForEveryPeriodAndReturnsThePanelsColumns() {
    Instant to = Instant.now();
    Instant from = to.minusSeconds(400L * 86_400);
    List<String> covered = new ArrayList<>();
    for (GrafanaFiles.Dashboard d : GrafanaFiles.dashboards()) {
      Map<String, List<String>> choices = new LinkedHashMap<>(d.fixedValues());
      for (GrafanaFiles.VariableQuery v : d.variableQueries()) {
        QueryResult r = QueryResult.run(ch, GrafanaMacros.expand(v.sql(), Map.of(), from, to, 60));
        assertThat(r.columns()).as("variable %s of %s: value, text", v.name(), d.uid()).hasSize(2);
        List<String> ids =
            r.rows().stream().map(row -> row.get(r.columns().get(0)).asText()).toList();
        assertThat(ids)
            .as("variable %s of %s", v.name(), d.uid())
            .startsWith("all")
            .hasSizeGreaterThan(1);
        choices.put(v.name(), List.of("all", ids.get(1)));
      }
      for (Map<String, String> variables : combinations(choices)) {
        for (GrafanaFiles.PanelQuery p : d.panelQueries()) {
          List<String> expected = PanelColumns.EXPECTED.get(p.key());
          assertThat(expected).as("PanelColumns has the columns of '%s'", p.key()).isNotNull();
          String sql = GrafanaMacros.expand(p.sql(), variables, from, to, 3600);
          assertThat(QueryResult.run(ch, sql).columns())
              .as("%s with %s", p.key(), variables)
              .isEqualTo(expected);
          covered.add(p.key());
        }
      }
    }
    assertThat(covered).containsAll(PanelColumns.EXPECTED.keySet());
  }

  @Test
  void headlinePanelsShowTheHandWorkedFigures() {
    Map<String, String> week = Map.of("period", "week", "area", "all");
    assertThat(panelNumber("xingan-kpi-overview", "On-time rate", week, "on_time_rate"))
        .isEqualTo(0.75);
    assertThat(panelNumber("xingan-kpi-overview", "Zero-visit share", week, "zero_visit_share"))
        .isEqualTo(0.75);
    assertThat(panelNumber("xingan-kpi-overview", "Stall occupancy", week, "occupancy"))
        .isEqualTo(0.6875);
    assertThat(panelNumber("xingan-kpi-overview", "Lagging projects", week, "projects_lagging"))
        .isEqualTo(1.0);
    assertThat(
            panelNumber(
                "xingan-kpi-overview", "Plan completion (year to date)", week, "plan_completion"))
        .isCloseTo(expectedPlanCompletion(), within(EPS));
    assertThat(
            panelNumber(
                "xingan-kpi-overview", "Plan completion (year to date)", week, "year_elapsed"))
        .isCloseTo(data.today.getDayOfYear() / (double) data.today.lengthOfYear(), within(EPS));
    assertThat(
            panelNumber(
                "xingan-kpi-overview", "Investment year on year", week, "investment_ytd_yoy_pct"))
        .isCloseTo(100 * (1727.0 / 1500 - 1), within(EPS));
    assertThat(
            panelNumber(
                "xingan-kpi-overview",
                "Completed services (year on year)",
                week,
                "on_time_rate_ytd_change_pp"))
        .isCloseTo(-25.0, within(EPS));
    Map<String, String> ulanhot = Map.of("period", "week", "area", "ulanhot");
    assertThat(panelNumber("xingan-kpi-overview", "Stall occupancy", ulanhot, "occupancy"))
        .isEqualTo(0.75);
    assertThat(
            panelNumber(
                "xingan-kpi-overview",
                "Investment year on year",
                ulanhot,
                "investment_ytd_yoy_pct"))
        .isCloseTo(22.7, within(1e-9));
    assertThat(
            panelNumber(
                "xingan-kpi-services", "Average processing days", week, "processing_days_avg"))
        .isEqualTo(3.75);
    assertThat(
            panelNumber(
                "xingan-kpi-services",
                "Days saved against the statutory limit",
                week,
                "days_saved_avg"))
        .isEqualTo(55.0);
    assertThat(
            panelNumber(
                "xingan-kpi-markets", "Operating / upgrading / closed", week, "markets_upgrading"))
        .isEqualTo(1.0);
    assertThat(panelNumber("xingan-kpi-markets", "Gig workers and jobs", week, "jobs_matched"))
        .isEqualTo(12.0);
    List<Double> weekly =
        panel("xingan-kpi-overview", "Stall occupancy by ${period}", week).rows().stream()
            .map(row -> number(row, "occupancy"))
            .toList();
    assertThat(weekly).containsExactly(0.5, 0.8, 0.6875);
  }

  @Test
  void alertRuleQueriesFireWhereTheAlertsAre() {
    Instant now = Instant.now();
    List<GrafanaFiles.AlertQuery> queries = GrafanaFiles.alertQueries();
    assertThat(queries)
        .extracting(GrafanaFiles.AlertQuery::rule)
        .containsExactlyInAnyOrder("kpi-open-critical-alert", "kpi-open-alerts-rising");
    for (GrafanaFiles.AlertQuery q : queries) {
      Instant from = now.minusSeconds(q.fromSeconds());
      Instant to = now.minusSeconds(q.toSeconds());
      QueryResult r = QueryResult.run(ch, GrafanaMacros.expand(q.sql(), Map.of(), from, to, 60));
      Map<String, Long> actual = new TreeMap<>();
      String value = r.columns().get(r.columns().size() - 1);
      for (Map<String, JsonNode> row : r.rows()) {
        String labels =
            r.columns().subList(0, r.columns().size() - 1).stream()
                .map(c -> row.get(c).asText())
                .collect(Collectors.joining("/"));
        actual.put(labels, number(row, value).longValue());
      }
      Map<String, Long> expected =
          q.rule().equals("kpi-open-critical-alert")
              ? alerts.openCount(
                  a -> a.county() + "/" + a.chain(), a -> a.severity().equals("critical"))
              : alerts.rise(from.getEpochSecond(), to.getEpochSecond());
      assertThat(actual).as(q.rule()).isEqualTo(expected);
    }
  }

  // ---- helpers ----

  /** YTD / plan of this calendar year: R's year holds all investment of Y; a later year none. */
  private static double expectedPlanCompletion() {
    return data.refYear == data.today.getYear() ? 1727.0 / 7454 : 0.0;
  }

  private static QueryResult panel(String dashboard, String title, Map<String, String> chosen) {
    return panel(dashboard, title, chosen, Instant.now());
  }

  private static QueryResult panel(
      String dashboard, String title, Map<String, String> chosen, Instant to) {
    GrafanaFiles.Dashboard d =
        GrafanaFiles.dashboards().stream()
            .filter(x -> x.uid().equals(dashboard))
            .findFirst()
            .orElseThrow();
    GrafanaFiles.PanelQuery p =
        d.panelQueries().stream()
            .filter(x -> x.title().equals(title))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no panel '" + title + "' in " + dashboard));
    Map<String, String> variables = new LinkedHashMap<>();
    d.fixedValues().forEach((k, v) -> variables.put(k, v.get(0)));
    d.variableQueries().forEach(v -> variables.put(v.name(), "all"));
    variables.putAll(chosen);
    return QueryResult.run(
        ch, GrafanaMacros.expand(p.sql(), variables, to.minusSeconds(400L * 86_400), to, 3600));
  }

  private static Double panelNumber(
      String dashboard, String title, Map<String, String> vars, String column) {
    return number(panel(dashboard, title, vars).single(), column);
  }

  /** Every choice of the first variable with each of the others at the same index. */
  private static List<Map<String, String>> combinations(Map<String, List<String>> choices) {
    List<Map<String, String>> out = new ArrayList<>();
    List<String> names = new ArrayList<>(choices.keySet());
    List<String> periods = choices.getOrDefault("period", List.of(""));
    for (String period : periods) {
      for (int i = 0; i < 2; i++) {
        Map<String, String> one = new LinkedHashMap<>();
        for (String name : names) {
          List<String> values = choices.get(name);
          one.put(
              name, name.equals("period") ? period : values.get(Math.min(i, values.size() - 1)));
        }
        out.add(one);
      }
    }
    return out;
  }

  private static void assertNumbers(
      String what, Map<String, JsonNode> row, Map<String, Double> expected) {
    expected.forEach(
        (column, value) ->
            assertThat(number(row, column))
                .as("%s: %s", what, column)
                .isCloseTo(value, within(EPS)));
  }

  /** The row of a (scope, scope_key) in a result with those columns. */
  private static Map<String, JsonNode> area(QueryResult r, String scope, String key) {
    List<Map<String, JsonNode>> rows =
        r.where("scope", scope).stream()
            .filter(row -> row.get("scope_key").asText().equals(key))
            .toList();
    assertThat(rows).as("rows of %s %s in:\n%s", scope, key, r.sql()).hasSize(1);
    return rows.get(0);
  }

  private static List<SqlDocs.Column> describe(String view) {
    return ch.queryJson("DESCRIBE TABLE " + view).stream()
        .map(r -> new SqlDocs.Column((String) r.get("name"), (String) r.get("type")))
        .toList();
  }

  private static LocalDate serverToday() {
    return LocalDate.parse(ch.query("SELECT toDate(now(), 'Asia/Shanghai')").strip());
  }

  private static LocalDate date(Map<String, JsonNode> row, String column) {
    return LocalDate.parse(row.get(column).asText());
  }

  private static LocalDate monthEnd(LocalDate d) {
    return d.withDayOfMonth(d.lengthOfMonth());
  }
}
