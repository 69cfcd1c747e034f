package cn.xingan.kpi.project;

import static cn.xingan.kpi.project.TrackerHarness.P;
import static cn.xingan.kpi.project.TrackerHarness.at;
import static cn.xingan.kpi.project.TrackerHarness.registration;
import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.config.ProjectOptions;
import cn.xingan.kpi.events.Milestone;
import cn.xingan.kpi.events.ProjectEventType;
import cn.xingan.kpi.events.Rejection;
import cn.xingan.kpi.kpi.ScopeKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tracker's facts for the KPI scopes: event-time order, events that wait for their project's
 * registration, unknown projects, and re-registrations that move a project between scopes. Every
 * figure is worked out by hand; the dairy plant's plan this year is 300 000 000.00 yuan.
 */
class ProjectTrackerTest {
  private static final long PLAN = 30_000_000_000L; // fen

  private static final ScopeKey LEAGUE = ScopeKey.league();
  private static final ScopeKey DEV_ZONE = new ScopeKey("county", "dev-zone");
  private static final ScopeKey ULANHOT = new ScopeKey("county", "ulanhot");
  private static final ScopeKey DAIRY = new ScopeKey("chain", "dairy");
  private static final ScopeKey KEY_LIST = new ScopeKey("list", "key");
  private static final ScopeKey PROJECT = new ScopeKey("project", P);

  private static ProjectFact fact(
      ScopeKey scope,
      String local,
      ProjectEventType type,
      String eventId,
      long investment,
      long projects,
      long planned,
      long ytd,
      long progress) {
    return new ProjectFact(
        scope,
        at(local),
        P,
        eventId,
        type,
        investment,
        null,
        projects,
        planned,
        ytd,
        progress,
        false);
  }

  /**
   * Facts go out as events arrive, without waiting for the watermark, in the order of the project's
   * history: what the scopes are told depends on the project's events alone.
   */
  @Test
  void factsGoOutAtOnceInTheOrderOfTheProjectsHistory() throws Exception {
    try (TrackerHarness t = new TrackerHarness()) {
      // The investment arrives first (the project is not registered yet: it waits), the
      // registration that precedes it second.
      t.invest("2026-03-05T10:00", 1_250_000_075L);
      assertThat(t.facts()).isEmpty();
      t.register("2026-03-02T09:00", registration("dev-zone", PLAN, "2026-03-15", "2027-06-30"));
      List<ProjectFact> facts = t.facts();
      String reg = "2026-03-02T09:00";
      String inv = "2026-03-05T10:00";
      ProjectEventType r = ProjectEventType.REGISTERED;
      ProjectEventType i = ProjectEventType.INVESTMENT;
      assertThat(facts)
          .containsExactly(
              fact(LEAGUE, reg, r, "reg-1", 0, 1, PLAN, 0, 0),
              fact(DEV_ZONE, reg, r, "reg-1", 0, 1, PLAN, 0, 0),
              fact(DAIRY, reg, r, "reg-1", 0, 1, PLAN, 0, 0),
              fact(KEY_LIST, reg, r, "reg-1", 0, 1, PLAN, 0, 0),
              fact(PROJECT, reg, r, "reg-1", 0, 1, PLAN, 0, 0),
              fact(LEAGUE, inv, i, "inv-0", 1_250_000_075L, 0, 0, 1_250_000_075L, 0),
              fact(DEV_ZONE, inv, i, "inv-0", 1_250_000_075L, 0, 0, 1_250_000_075L, 0),
              fact(DAIRY, inv, i, "inv-0", 1_250_000_075L, 0, 0, 1_250_000_075L, 0),
              fact(KEY_LIST, inv, i, "inv-0", 1_250_000_075L, 0, 0, 1_250_000_075L, 0),
              fact(PROJECT, inv, i, "inv-0", 1_250_000_075L, 0, 0, 1_250_000_075L, 0));
      t.watermark("2026-03-05T10:00");
      assertThat(t.facts()).as("nothing more when the watermark passes").isEmpty();
    }
  }

  @Test
  void progressChangesTheStockByTheDifferenceAndMilestonesAreFlow() throws Exception {
    try (TrackerHarness t = new TrackerHarness()) {
      t.register("2026-03-02T09:00", registration("dev-zone", PLAN, "2026-03-15", "2027-06-30"));
      t.progress("2026-04-01T09:00", 10);
      t.progress("2026-05-01T09:00", 25.5);
      t.milestone("2026-05-02T09:00", Milestone.HALF_COMPLETE);
      t.watermark("2026-05-02T09:00");
      List<ProjectFact> league = t.facts().stream().filter(f -> f.scope().equals(LEAGUE)).toList();
      assertThat(league)
          .extracting(ProjectFact::progressMicros)
          .containsExactly(0L, 10_000_000L, 15_500_000L, 0L);
      assertThat(league.get(3).milestone()).isEqualTo(Milestone.HALF_COMPLETE);
      assertThat(league.get(3).isReport()).isTrue();
      assertThat(league.get(0).isReport()).isFalse();
    }
  }

  @Test
  void eventsBeforeTheRegistrationWaitForItAndCountWithIt() throws Exception {
    try (TrackerHarness t = new TrackerHarness()) {
      t.invest("2026-03-02T08:00", 100_000);
      t.progress("2026-03-02T08:30", 10);
      t.watermark("2026-03-02T08:59");
      assertThat(t.facts()).isEmpty();
      t.register("2026-03-02T09:00", registration("dev-zone", PLAN, "2026-03-15", "2027-06-30"));
      t.watermark("2026-03-02T09:00");
      List<ProjectFact> league = t.facts().stream().filter(f -> f.scope().equals(LEAGUE)).toList();
      // Their own periods count them (flow at their own time); the stock gets them with the
      // project, at the registration.
      assertThat(league)
          .containsExactly(
              fact(
                  LEAGUE,
                  "2026-03-02T08:00",
                  ProjectEventType.INVESTMENT,
                  "inv-0",
                  100_000,
                  0,
                  0,
                  0,
                  0),
              fact(LEAGUE, "2026-03-02T08:30", ProjectEventType.PROGRESS, "prog-1", 0, 0, 0, 0, 0),
              fact(
                  LEAGUE,
                  "2026-03-02T09:00",
                  ProjectEventType.REGISTERED,
                  "reg-2",
                  0,
                  1,
                  PLAN,
                  100_000,
                  10_000_000));
      assertThat(t.rejections()).isEmpty();
    }
  }

  @Test
  void anInvestmentOfLastYearThatWaitedCountsInNoYearToDate() throws Exception {
    try (TrackerHarness t = new TrackerHarness()) {
      t.invest("2025-12-31T23:00", 100_000);
      t.register("2026-01-01T01:00", registration("dev-zone", PLAN, "2026-03-15", "2027-06-30"));
      t.watermark("2026-01-01T01:00");
      assertThat(t.facts().stream().filter(f -> f.scope().equals(LEAGUE)))
          .extracting(ProjectFact::ytdCents)
          .containsExactly(0L, 0L);
    }
  }

  /**
   * The wait ends at 03-03 08:00; a registration up to then could still be admitted until its week
   * (03-02..08) is final, on 03-16 00:00 (the allowed lateness is 7 days): the event is rejected
   * then, not before, so a late registration releases it as a backfill would.
   */
  @Test
  void anEventWhoseProjectIsNotRegisteredWithinTheWaitIsRejected() throws Exception {
    try (TrackerHarness t = new TrackerHarness()) {
      t.invest("2026-03-02T08:00", 100_000);
      t.watermark(at("2026-03-16T00:00") - 1);
      assertThat(t.rejections()).isEmpty();
      assertThat(t.eventTimeTimers()).isOne();
      t.watermark("2026-03-16T00:00");
      assertThat(t.rejections())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.reason()).isEqualTo(Rejection.UNKNOWN_PROJECT);
                assertThat(r.eventId()).isEqualTo("inv-0");
                assertThat(r.source()).isEqualTo("project-progress");
                assertThat(r.offset()).isZero();
                assertThat(r.raw()).isEqualTo("{\"event_id\":\"inv-0\"}");
                assertThat(r.detail()).contains("'" + P + "'", "--registration-wait 1d");
              });
      assertThat(t.facts()).isEmpty();
      assertThat(t.eventTimeTimers()).isZero();
      assertThat(t.keyedStateEntries()).isZero();

      // A registration afterwards starts from nothing.
      t.register("2026-03-16T09:00", registration("dev-zone", PLAN, "2026-03-15", "2027-06-30"));
      t.watermark("2026-03-16T09:00");
      assertThat(t.facts()).extracting(ProjectFact::ytdCents).containsOnly(0L);
    }
  }

  /** Registered only after the watermark passed the end of the wait, but admitted: released. */
  @Test
  void aLateRegistrationWithinTheWaitReleasesTheEventAfterTheWatermarkPassedTheWait()
      throws Exception {
    try (TrackerHarness t = new TrackerHarness()) {
      t.invest("2026-03-02T08:00", 100_000);
      t.watermark("2026-03-10T00:00");
      t.register("2026-03-03T07:00", registration("dev-zone", PLAN, "2026-03-15", "2027-06-30"));
      t.watermark("2026-03-20T00:00");
      assertThat(t.rejections()).isEmpty();
      assertThat(t.facts())
          .filteredOn(f -> f.scope().equals(LEAGUE))
          .extracting(ProjectFact::investmentCents, ProjectFact::ytdCents)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(100_000L, 0L),
              org.assertj.core.groups.Tuple.tuple(0L, 100_000L));
    }
  }

  @Test
  void aRegistrationExactlyAtTheEndOfTheWaitStillReleasesTheEvent() throws Exception {
    try (TrackerHarness t = new TrackerHarness()) {
      t.invest("2026-03-02T08:00", 100_000);
      t.register("2026-03-03T08:00", registration("dev-zone", PLAN, "2026-03-15", "2027-06-30"));
      t.watermark("2026-03-03T08:00");
      assertThat(t.rejections()).isEmpty();
      assertThat(t.facts()).filteredOn(f -> f.scope().equals(LEAGUE)).hasSize(2);
    }
  }

  @Test
  void theWaitIsAnOption() throws Exception {
    ProjectOptions twoHours =
        new ProjectOptions(Duration.ofHours(2), 7, Duration.ofDays(14), 80, 50);
    try (TrackerHarness t = new TrackerHarness(twoHours)) {
      t.invest("2026-03-02T08:00", 100_000);
      t.watermark("2026-03-10T00:00");
      t.register("2026-03-02T10:01", registration("dev-zone", PLAN, "2026-03-15", "2027-06-30"));
      t.watermark("2026-03-16T00:00"); // the week of the wait's end (10:00) is final
      assertThat(t.rejections())
          .singleElement()
          .satisfies(r -> assertThat(r.detail()).contains("--registration-wait 2h"));
    }
  }

  @Test
  void aReRegistrationMovesTheStockToTheNewCountyAndChangesThePlanElsewhere() throws Exception {
    try (TrackerHarness t = new TrackerHarness()) {
      t.register("2026-03-02T09:00", registration("dev-zone", PLAN, "2026-03-15", "2027-06-30"));
      t.invest("2026-03-10T09:00", 100_000);
      t.progress("2026-03-11T09:00", 20);
      t.register(
          "2026-04-01T10:00", registration("ulanhot", 40_000_000_000L, "2026-03-15", "2027-06-30"));
      t.watermark("2026-04-01T10:00");
      List<ProjectFact> moves =
          t.facts().stream().filter(f -> f.time() == at("2026-04-01T10:00")).toList();
      String when = "2026-04-01T10:00";
      ProjectEventType r = ProjectEventType.REGISTERED;
      long more = 10_000_000_000L;
      assertThat(moves)
          .containsExactly(
              fact(LEAGUE, when, r, "reg-3", 0, 0, more, 0, 0),
              fact(DEV_ZONE, when, r, "reg-3", 0, -1, -PLAN, -100_000, -20_000_000),
              fact(ULANHOT, when, r, "reg-3", 0, 1, 40_000_000_000L, 100_000, 20_000_000),
              fact(DAIRY, when, r, "reg-3", 0, 0, more, 0, 0),
              fact(KEY_LIST, when, r, "reg-3", 0, 0, more, 0, 0),
              fact(PROJECT, when, r, "reg-3", 0, 0, more, 0, 0));

      // Later events count in the new county.
      t.invest("2026-04-02T09:00", 5);
      t.watermark("2026-04-02T09:00");
      assertThat(t.facts())
          .extracting(ProjectFact::scope)
          .contains(ULANHOT)
          .doesNotContain(DEV_ZONE);
    }
  }
}
