// The project-progress stream as a fault-test scenario: the project acceptance test's year of 20
// projects (ProjectYear) in time order, every kpi_project row of every scope and period from its
// independent oracle (ProjectOracle), and every alert in project_alerts, so that a fault that
// replays project events must neither change a KPI nor open, move or resolve an alert wrongly.
package cn.xingan.kpi.testing;

import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.sink.ClickHouseHttp;
import cn.xingan.kpi.testing.projects.ProjectOracle;
import cn.xingan.kpi.testing.projects.ProjectYear;
import cn.xingan.kpi.testing.projects.ProjectYear.Ev;
import cn.xingan.kpi.testing.projects.ProjectYear.Reg;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code project-progress} → {@code kpi_project} (all five scopes, all five periods) and {@code
 * project_alerts}.
 *
 * <p>The sentinels of unbounded runs are registrations of projects of their own, stamped 2026-01-10
 * 12:00 local time: late enough that every period of 2025 is final once the watermark (an hour
 * earlier) passes it, early enough that the rules of the year's projects, which run up to the
 * watermark, reach no check day after January 1 (the last one {@link ProjectOracle} knows). No rule
 * is due between the watermark and the sentinel (reports end before December 24, so the last
 * no_report opens by January 7), and the sentinel projects themselves are due nothing before 2031.
 * The alerts are then compared with the oracle's rules run up to that watermark: the no_report
 * alerts of the silent weeks after the data and the January 1 behind_plan check are expected too.
 */
final class ProjectScenario implements StreamScenario {
  /** The acceptance test's seed. */
  static final long SEED = 20250101L;

  static final List<String> SCOPES = List.of("league", "county", "chain", "list", "project");
  static final List<String> PERIODS = List.of("week", "half_month", "month", "quarter", "year");

  private static final List<String> VALUE_COLUMNS =
      List.of(
          "projects",
          "planned_year_cny",
          "investment_cny",
          "investment_ytd_cny",
          "projects_reporting",
          "started",
          "half_complete",
          "trial_run",
          "in_production",
          "completed",
          "progress_pct_avg",
          "events",
          "is_final",
          "version");

  private final List<Ev> events;

  private ProjectScenario(List<Ev> events) {
    this.events = events;
  }

  /** The acceptance test's events (without its unknown project), in event-time order. */
  static ProjectScenario standard() {
    return new ProjectScenario(ProjectYear.generate(SEED));
  }

  @Override
  public EventStream stream() {
    return EventStream.PROJECT_PROGRESS;
  }

  @Override
  public List<Map.Entry<String, String>> records() {
    return events.stream().map(e -> Map.entry(e.projectId(), ProjectYear.json(e, null))).toList();
  }

  /** A registration of a project of its own (planned for 2031–2032), at {@code time}. */
  @Override
  public Map.Entry<String, String> eventAt(Instant time, String eventId) {
    String project = "S-" + eventId;
    Reg reg =
        new Reg(
            "哨兵项目 " + project,
            "reclamation",
            "tourism",
            "key",
            300_000_000L,
            100_000_000L,
            LocalDate.of(2031, 1, 1),
            LocalDate.of(2032, 12, 31));
    Ev e =
        new Ev(
            eventId,
            time.atZone(ProjectYear.ZONE).toLocalDateTime(),
            project,
            "registered",
            reg,
            0,
            false,
            null,
            null);
    return Map.entry(project, ProjectYear.json(e, null));
  }

  @Override
  public Instant sentinelTime() {
    return Instant.parse("2026-01-10T12:00:00+08:00");
  }

  @Override
  public String table() {
    return "kpi_project";
  }

  @Override
  public List<String> valueColumns() {
    return VALUE_COLUMNS;
  }

  @Override
  public Map<KpiRowKey, Map<String, Object>> expectedFinalRows() {
    ProjectOracle oracle = new ProjectOracle(events, ProjectYear.ZONE);
    Map<KpiRowKey, Map<String, Object>> rows = new TreeMap<>();
    for (String period : PERIODS) {
      for (String scope : SCOPES) {
        for (Map.Entry<String, ProjectOracle.Row> e : oracle.rows(period, scope).entrySet()) {
          String[] k = e.getKey().split("\\|", -1); // period|start|scope|key
          LocalDate start = LocalDate.parse(k[1]);
          ProjectOracle.Row x = e.getValue();
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("projects", x.projects());
          row.put("planned_year_cny", x.planned());
          row.put("investment_cny", x.investment());
          row.put("investment_ytd_cny", x.ytd());
          row.put("projects_reporting", x.reporting());
          row.put("started", x.started());
          row.put("half_complete", x.halfComplete());
          row.put("trial_run", x.trialRun());
          row.put("in_production", x.inProduction());
          row.put("completed", x.completed());
          row.put("progress_pct_avg", x.progressAvg());
          row.put("events", x.events());
          row.put("is_final", 1L);
          row.put("version", 2 * x.events() + 1);
          rows.put(
              new KpiRowKey(k[0], k[2], k[3], start, ProjectOracle.periodEnd(period, start)), row);
        }
      }
    }
    return rows;
  }

  /**
   * {@code project_alerts} read with FINAL holds exactly the oracle's alerts, each at its last
   * version (rule, status, severity, opened_at, resolved_at, county, version); and every row ever
   * written (without FINAL: what merges left of earlier versions) is one of the oracle's versions,
   * so no replay wrote an alert version with other values.
   */
  @Override
  public List<String> otherProblems(ClickHouseHttp http, Instant rulesUpTo) {
    ProjectOracle oracle =
        rulesUpTo == null
            ? new ProjectOracle(events, ProjectYear.ZONE)
            : new ProjectOracle(events, ProjectYear.ZONE, rulesUpTo.toEpochMilli());
    Map<String, String> every = new TreeMap<>();
    Map<String, ProjectOracle.Step> last = new TreeMap<>();
    for (ProjectOracle.Step s : oracle.alerts()) {
      every.put(s.alertId() + " v" + s.version(), describe(s));
      last.merge(s.alertId(), s, (a, b) -> b.version() > a.version() ? b : a);
    }
    String select =
        "SELECT alert_id, project_id, county, rule, severity, status,"
            + " toUnixTimestamp(opened_at) AS opened, toUnixTimestamp(resolved_at) AS resolved,"
            + " version FROM project_alerts";
    List<String> problems = new ArrayList<>();
    Map<String, Map<String, Object>> finals = new TreeMap<>();
    for (Map<String, Object> r : http.queryJson(select + " FINAL")) {
      if (finals.put((String) r.get("alert_id"), r) != null) {
        problems.add("a second FINAL row of alert " + r.get("alert_id"));
      }
    }
    TreeSet<String> missing = new TreeSet<>(last.keySet());
    missing.removeAll(finals.keySet());
    missing.forEach(id -> problems.add("missing alert " + id + ": " + describe(last.get(id))));
    finals.forEach(
        (id, r) -> {
          ProjectOracle.Step x = last.get(id);
          if (x == null) {
            problems.add("unexpected alert " + id + ": " + describe(r));
          } else if (!describe(r).equals(describe(x))) {
            problems.add("alert " + id + " is " + describe(r) + ", expected " + describe(x));
          }
        });
    for (Map<String, Object> r : http.queryJson(select)) {
      String version = r.get("alert_id") + " v" + r.get("version");
      String want = every.get(version);
      if (want == null) {
        problems.add("a version the rules never make: " + version + " " + describe(r));
      } else if (!want.equals(describe(r))) {
        problems.add("written " + version + " " + describe(r) + ", expected " + want);
      }
    }
    return problems;
  }

  private static String describe(ProjectOracle.Step s) {
    return String.join(
        " ",
        s.rule(),
        s.status(),
        s.severity(),
        "opened " + s.openedAt() / 1000,
        "resolved " + s.resolvedAt() / 1000,
        s.county(),
        "v" + s.version());
  }

  private static String describe(Map<String, Object> r) {
    return String.join(
        " ",
        (String) r.get("rule"),
        (String) r.get("status"),
        (String) r.get("severity"),
        "opened " + r.get("opened"),
        "resolved " + r.get("resolved"),
        (String) r.get("county"),
        "v" + r.get("version"));
  }
}
