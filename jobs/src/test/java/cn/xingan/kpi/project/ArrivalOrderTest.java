package cn.xingan.kpi.project;

import static cn.xingan.kpi.project.TrackerHarness.P;
import static cn.xingan.kpi.project.TrackerHarness.at;
import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.alerts.ProjectAlert;
import cn.xingan.kpi.config.ProjectOptions;
import cn.xingan.kpi.events.Milestone;
import cn.xingan.kpi.events.ProjectEvent;
import cn.xingan.kpi.events.ProjectRegistration;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cases of issue 8 where streaming and backfill disagreed, through tracker and KPI function: an
 * event admitted behind the watermark (within the allowed lateness) must count as if it had come in
 * time, ties at one instant go by event id as in a backfill, and no valid order of events can make
 * a count negative. Each streaming run moves the watermark as the job would (5 minutes behind the
 * largest event time so far) and ends with the end of the input; each is compared with hand-worked
 * figures and with a backfill of the same events (all events, then the end of the input).
 */
class ArrivalOrderTest {
  private static final Duration OUT_OF_ORDERNESS = Duration.ofMinutes(5);

  private static ProjectRegistration reg(String county, long plannedYearCents) {
    return new ProjectRegistration(
        "乳业智能工厂 Dairy plant",
        county,
        "dairy",
        "key",
        plannedYearCents * 2,
        plannedYearCents,
        LocalDate.parse("2026-01-01").toEpochDay(),
        LocalDate.parse("2026-12-31").toEpochDay());
  }

  private static ProjectEvent registered(String id, String local, String county, long plan) {
    return ProjectEvent.registered(id, at(local), P, reg(county, plan));
  }

  private static ProjectEvent invest(String id, String local, long cents) {
    return ProjectEvent.investment(id, at(local), P, cents, cents < 0);
  }

  private static ProjectEvent progress(String id, String local, double pct) {
    return ProjectEvent.progress(id, at(local), P, Math.round(pct * 1_000_000));
  }

  /** Streams the events in this order, the watermark trailing the largest time by 5 minutes. */
  private static PipelineHarness stream(ProjectEvent... events) throws Exception {
    PipelineHarness h = new PipelineHarness(false);
    long max = Long.MIN_VALUE;
    for (ProjectEvent e : events) {
      h.send(e);
      max = Math.max(max, e.eventTime());
      h.watermark(max - OUT_OF_ORDERNESS.toMillis() - 1);
      h.tick();
    }
    h.endOfInput(
        java.time.Instant.ofEpochMilli(max)
            .atZone(TrackerHarness.SHANGHAI)
            .toLocalDateTime()
            .toString());
    return h;
  }

  private static PipelineHarness backfill(ProjectEvent... events) throws Exception {
    PipelineHarness h = new PipelineHarness(true);
    long max = Long.MIN_VALUE;
    for (ProjectEvent e : events) {
      h.send(e);
      max = Math.max(max, e.eventTime());
    }
    h.endOfInput(
        java.time.Instant.ofEpochMilli(max)
            .atZone(TrackerHarness.SHANGHAI)
            .toLocalDateTime()
            .toString());
    return h;
  }

  /** Every column but version and updated_at, so rows of two runs can be compared. */
  private static String values(ProjectKpiRow r) {
    return String.join(
        " ",
        "projects=" + r.projects(),
        "planned=" + r.plannedYearCents(),
        "investment=" + r.investmentCents(),
        "ytd=" + r.investmentYtdCents(),
        "reporting=" + r.projectsReporting(),
        "started=" + r.started(),
        "progress=" + r.progressPctAvg(),
        "events=" + r.events(),
        "final=" + r.isFinal());
  }

  private static void assertSameRows(PipelineHarness streamed, PipelineHarness backfilled) {
    Map<String, ProjectKpiRow> s = streamed.rows();
    Map<String, ProjectKpiRow> b = backfilled.rows();
    assertThat(s.keySet()).isEqualTo(b.keySet());
    for (String k : b.keySet()) {
      assertThat(values(s.get(k))).as(k).isEqualTo(values(b.get(k)));
      assertThat(s.get(k).version()).as(k + " version").isGreaterThanOrEqualTo(b.get(k).version());
    }
  }

  /**
   * Registration 06-01, progress 50 at 06-20, an investment at 06-21, then progress 30 at 06-10:
   * admitted, because the week 06-08..14 is final only from 06-22. Its week and the first half of
   * June end with 30 %, the rest with 50 %.
   */
  @Test
  void aLateProgressReportCountsInItsOwnPeriods() throws Exception {
    ProjectEvent[] arrival = {
      registered("r1", "2026-06-01T09:00", "arxan", 100_000),
      progress("p50", "2026-06-20T10:00", 50),
      invest("i1", "2026-06-21T10:00", 10_000),
      progress("p30", "2026-06-10T10:00", 30)
    };
    try (PipelineHarness s = stream(arrival);
        PipelineHarness b = backfill(arrival)) {
      assertThat(s.row("week", "2026-06-08", "league", "").progressPctAvg()).isEqualTo(30.0);
      assertThat(s.row("half_month", "2026-06-01", "county", "arxan").progressPctAvg())
          .isEqualTo(30.0);
      assertThat(s.row("week", "2026-06-15", "project", P).progressPctAvg()).isEqualTo(50.0);
      assertThat(s.row("month", "2026-06-01", "league", "").progressPctAvg()).isEqualTo(50.0);
      assertThat(s.row("week", "2026-06-08", "league", "").projectsReporting()).isEqualTo(1);
      assertSameRows(s, b);
    }
  }

  /**
   * The registration in arxan at 01-12, an investment at 01-13, then the project's earlier
   * registration in tuquan at 01-09 (admitted: the week 01-05..11 is final only from 01-19). The
   * history is: tuquan from 01-09, moved to arxan on 01-12. No count goes negative: tuquan has one
   * project planning 2,000.00 in the week of 01-05, arxan one planning 1,000.00 in the week of
   * 01-12 (and tuquan none: it touched that week when the project left).
   */
  @Test
  void anEarlierRegistrationArrivingLastMakesNoCountNegative() throws Exception {
    ProjectEvent[] arrival = {
      registered("r-arxan", "2026-01-12T10:00", "arxan", 100_000),
      invest("i1", "2026-01-13T10:00", 50_000),
      registered("r-tuquan", "2026-01-09T10:00", "tuquan", 200_000)
    };
    try (PipelineHarness s = stream(arrival);
        PipelineHarness b = backfill(arrival)) {
      ProjectKpiRow tuquan = s.row("week", "2026-01-05", "county", "tuquan");
      assertThat(tuquan.projects()).isEqualTo(1);
      assertThat(tuquan.plannedYearCents()).isEqualTo(200_000);
      ProjectKpiRow arxan = s.row("week", "2026-01-12", "county", "arxan");
      assertThat(arxan.projects()).isEqualTo(1);
      assertThat(arxan.plannedYearCents()).isEqualTo(100_000);
      assertThat(arxan.investmentCents()).isEqualTo(50_000);
      assertThat(arxan.investmentYtdCents()).isEqualTo(50_000);
      assertThat(s.row("week", "2026-01-12", "county", "tuquan").projects()).isZero();
      assertThat(s.row("week", "2026-01-05", "league", "").plannedYearCents()).isEqualTo(200_000);
      assertThat(s.row("week", "2026-01-12", "league", "").plannedYearCents()).isEqualTo(100_000);
      assertThat(s.written())
          .as("no row ever written with a negative figure")
          .allSatisfy(
              r -> {
                assertThat(r.projects()).isNotNegative();
                assertThat(r.plannedYearCents()).isNotNegative();
              });
      assertSameRows(s, b);
    }
  }

  /**
   * Two progress reports at the same instant: a backfill applies them by event id ("p-a" then
   * "p-b", so 60 % stands). In streaming "p-a" comes after the watermark passed the instant.
   */
  @Test
  void eventsAtTheSameInstantApplyInEventIdOrderWhateverTheArrival() throws Exception {
    ProjectEvent[] arrival = {
      registered("r1", "2026-06-01T09:00", "arxan", 100_000),
      progress("p-b", "2026-06-10T10:00", 60),
      invest("i1", "2026-06-11T10:00", 10_000),
      progress("p-a", "2026-06-10T10:00", 40)
    };
    try (PipelineHarness s = stream(arrival);
        PipelineHarness b = backfill(arrival)) {
      assertThat(s.row("week", "2026-06-08", "league", "").progressPctAvg()).isEqualTo(60.0);
      assertThat(s.row("month", "2026-06-01", "project", P).progressPctAvg()).isEqualTo(60.0);
      assertSameRows(s, b);
    }
  }

  /**
   * The start milestone exactly at the start_overdue deadline (00:00, 7 days after the planned
   * start) is in time, so a backfill opens no alert. In streaming it arrives after the watermark
   * passed the deadline and the alert was opened: the alert is withdrawn (a new version, resolved,
   * {@code withdrawn}), and read as FINAL it no longer counts as an alert.
   */
  @Test
  void anAlertTheCompleteHistoryDoesNotHaveIsWithdrawn() throws Exception {
    ProjectOptions startOverdueOnly =
        new ProjectOptions(Duration.ofDays(1), 7, Duration.ofDays(36_500), 80, 50);
    ProjectEvent registration =
        ProjectEvent.registered(
            "r1",
            at("2026-03-02T09:00"),
            P,
            new ProjectRegistration(
                "乳业智能工厂 Dairy plant",
                "arxan",
                "dairy",
                "key",
                0,
                0,
                LocalDate.parse("2026-03-15").toEpochDay(),
                LocalDate.parse("2027-06-30").toEpochDay()));
    ProjectEvent started =
        ProjectEvent.milestone("m1", at("2026-03-22T00:00"), P, Milestone.CONSTRUCTION_STARTED);
    try (PipelineHarness s = new PipelineHarness(startOverdueOnly, false)) {
      s.send(registration);
      s.send(invest("i1", "2026-03-23T10:00", 10_000));
      s.watermark(at("2026-03-23T09:55"));
      List<ProjectAlert> opened = s.alertVersions();
      assertThat(opened).singleElement().satisfies(a -> assertThat(a.status()).isEqualTo("open"));
      s.send(started);
      s.endOfInput("2026-03-23T10:00");
      ProjectAlert last = s.alerts().get(P + ":start_overdue:2026-03-22");
      assertThat(last.version()).isEqualTo(2);
      assertThat(last.status()).isEqualTo("resolved");
      assertThat(last.withdrawn()).isTrue();
    }
    try (PipelineHarness b = new PipelineHarness(startOverdueOnly, true)) {
      b.send(registration);
      b.send(invest("i1", "2026-03-23T10:00", 10_000));
      b.send(started);
      b.endOfInput("2026-03-23T10:00");
      assertThat(b.alerts()).isEmpty();
    }
  }
}
