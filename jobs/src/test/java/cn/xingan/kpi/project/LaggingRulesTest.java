package cn.xingan.kpi.project;

import static cn.xingan.kpi.project.TrackerHarness.P;
import static cn.xingan.kpi.project.TrackerHarness.at;
import static cn.xingan.kpi.project.TrackerHarness.registration;
import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.alerts.ProjectAlert;
import cn.xingan.kpi.config.ProjectOptions;
import cn.xingan.kpi.events.Milestone;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The three lagging-project rules in the tracker, on event-time timers: when each opens (with the
 * boundary instants just before and at), how behind_plan changes severity, how each resolves, that
 * a bounded run stops at the input's largest event time, and that a completed project leaves no
 * rule state or timer behind. Each test switches the other rules off through the options (a huge
 * start-overdue or no-report time, or no plan this year), so alerts are the rule's own.
 */
class LaggingRulesTest {
  private static final int NEVER_DAYS = 36_500;

  private static ProjectOptions options(int startOverdueDays, Duration noReportAfter) {
    return new ProjectOptions(Duration.ofDays(1), startOverdueDays, noReportAfter, 80, 50);
  }

  private static final ProjectOptions START_OVERDUE_ONLY = options(7, Duration.ofDays(NEVER_DAYS));
  private static final ProjectOptions NO_REPORT_ONLY = options(NEVER_DAYS, Duration.ofDays(14));
  private static final ProjectOptions BEHIND_PLAN_ONLY =
      options(NEVER_DAYS, Duration.ofDays(NEVER_DAYS));

  // ---- start_overdue ----

  @Test
  void startOverdueOpensAtMidnightSevenDaysAfterThePlannedStartAndResolvesAtTheStart()
      throws Exception {
    try (TrackerHarness t = new TrackerHarness(START_OVERDUE_ONLY)) {
      t.register("2026-03-02T09:00", registration("dev-zone", 0, "2026-03-15", "2027-06-30"));
      t.watermark(at("2026-03-22T00:00") - 1);
      assertThat(t.alerts()).isEmpty();
      t.watermark("2026-03-22T00:00");
      ProjectAlert open = single(t.alerts());
      assertThat(open.alertId()).isEqualTo(P + ":start_overdue:2026-03-22");
      assertThat(open.rule()).isEqualTo("start_overdue");
      assertThat(open.status()).isEqualTo("open");
      assertThat(open.severity()).isEqualTo("warning");
      assertThat(open.openedAt()).isEqualTo(at("2026-03-22T00:00"));
      assertThat(open.resolvedAt()).isZero();
      assertThat(open.version()).isEqualTo(1);
      assertThat(open.projectName()).isEqualTo("乳业智能工厂 Dairy plant");
      assertThat(open.county()).isEqualTo("dev-zone");
      assertThat(open.chain()).isEqualTo("dairy");
      assertThat(open.detail())
          .contains("乳业智能工厂 Dairy plant", "planned start 2026-03-15", "7 days");

      t.milestone("2026-03-25T10:00", Milestone.CONSTRUCTION_STARTED);
      t.watermark("2026-03-25T10:00");
      ProjectAlert resolved = single(t.alerts());
      assertThat(resolved.alertId()).isEqualTo(open.alertId());
      assertThat(resolved.status()).isEqualTo("resolved");
      assertThat(resolved.version()).isEqualTo(2);
      assertThat(resolved.openedAt()).isEqualTo(open.openedAt());
      assertThat(resolved.resolvedAt()).isEqualTo(at("2026-03-25T10:00"));
      assertThat(resolved.detail()).contains("construction started 2026-03-25 10:00", "10 days");
      t.watermark("2026-12-31T00:00");
      assertThat(t.alerts()).isEmpty();
    }
  }

  @Test
  void aStartExactlyAtTheDeadlineIsInTime() throws Exception {
    try (TrackerHarness t = new TrackerHarness(START_OVERDUE_ONLY)) {
      t.register("2026-03-02T09:00", registration("dev-zone", 0, "2026-03-15", "2027-06-30"));
      t.milestone("2026-03-22T00:00", Milestone.CONSTRUCTION_STARTED);
      t.watermark("2026-12-31T00:00");
      assertThat(t.alerts()).isEmpty();
    }
  }

  @Test
  void aProjectRegisteredAfterItsDeadlineIsOverdueAtItsRegistration() throws Exception {
    try (TrackerHarness t = new TrackerHarness(START_OVERDUE_ONLY)) {
      t.register("2026-04-01T09:00", registration("dev-zone", 0, "2026-03-01", "2027-06-30"));
      t.watermark("2026-04-01T09:00");
      ProjectAlert open = single(t.alerts());
      assertThat(open.alertId()).isEqualTo(P + ":start_overdue:2026-04-01");
      assertThat(open.openedAt()).isEqualTo(at("2026-04-01T09:00"));
    }
  }

  @Test
  void movingThePlannedStartResolvesAndTheNewDeadlineCounts() throws Exception {
    try (TrackerHarness t = new TrackerHarness(START_OVERDUE_ONLY)) {
      t.register("2026-03-02T09:00", registration("dev-zone", 0, "2026-03-15", "2027-06-30"));
      t.register("2026-03-23T09:00", registration("dev-zone", 0, "2026-05-01", "2027-06-30"));
      t.watermark("2026-05-07T23:59");
      List<ProjectAlert> steps = t.alerts();
      assertThat(steps).extracting(ProjectAlert::status).containsExactly("open", "resolved");
      assertThat(steps.get(1).resolvedAt()).isEqualTo(at("2026-03-23T09:00"));
      assertThat(steps.get(1).detail()).contains("planned start moved to 2026-05-01");
      t.watermark("2026-05-08T00:00");
      assertThat(single(t.alerts()).alertId()).isEqualTo(P + ":start_overdue:2026-05-08");
    }
  }

  @Test
  void theStartOverdueDaysAreAnOption() throws Exception {
    try (TrackerHarness t = new TrackerHarness(options(3, Duration.ofDays(NEVER_DAYS)))) {
      t.register("2026-03-02T09:00", registration("dev-zone", 0, "2026-03-15", "2027-06-30"));
      t.watermark("2026-03-18T00:00");
      assertThat(single(t.alerts()).openedAt()).isEqualTo(at("2026-03-18T00:00"));
    }
  }

  // ---- no_report ----

  @Test
  void noReportOpensFourteenDaysAfterTheLastReportAndResolvesAtTheNext() throws Exception {
    try (TrackerHarness t = new TrackerHarness(NO_REPORT_ONLY)) {
      t.register("2026-03-02T09:00", registration("dev-zone", 0, "2026-03-15", "2027-06-30"));
      t.invest("2026-03-05T10:00", 100_000);
      t.watermark(at("2026-03-19T10:00") - 1);
      assertThat(t.alerts()).isEmpty();
      t.watermark("2026-03-19T10:00");
      ProjectAlert open = single(t.alerts());
      assertThat(open.alertId()).isEqualTo(P + ":no_report:2026-03-19");
      assertThat(open.openedAt()).isEqualTo(at("2026-03-19T10:00"));
      assertThat(open.detail()).contains("for 14 days", "the last report 2026-03-05 10:00");

      t.progress("2026-03-25T08:00", 5);
      t.watermark("2026-03-25T08:00");
      ProjectAlert resolved = single(t.alerts());
      assertThat(resolved.status()).isEqualTo("resolved");
      assertThat(resolved.version()).isEqualTo(2);
      assertThat(resolved.resolvedAt()).isEqualTo(at("2026-03-25T08:00"));
      assertThat(resolved.detail()).contains("progress reported 2026-03-25 08:00", "19 days");

      // A report exactly at the next deadline (2026-04-08 08:00) is in time...
      t.milestone("2026-04-08T08:00", Milestone.CONSTRUCTION_STARTED);
      t.watermark("2026-04-22T07:59");
      assertThat(t.alerts()).isEmpty();
      // ... and fourteen days after it the project is silent again: a new alert.
      t.watermark("2026-04-22T08:00");
      ProjectAlert again = single(t.alerts());
      assertThat(again.alertId()).isEqualTo(P + ":no_report:2026-04-22");
      assertThat(again.version()).isEqualTo(1);
    }
  }

  @Test
  void aProjectThatNeverReportsIsSilentFromItsRegistration() throws Exception {
    try (TrackerHarness t = new TrackerHarness(NO_REPORT_ONLY)) {
      t.register("2026-03-02T09:00", registration("dev-zone", 0, "2026-03-15", "2027-06-30"));
      t.watermark("2026-03-16T09:00");
      assertThat(single(t.alerts()).detail())
          .contains("for 14 days", "since registration 2026-03-02 09:00");
    }
  }

  // ---- behind_plan ----

  /**
   * 36 500.00 yuan planned for 2026, span 2026-01-01..2026-12-31 (365 days): 100 yuan a day are
   * expected. Checks: Jan 16 (15 days: 1 500 expected), Feb 1 (31: 3 100), Feb 16 (46: 4 600), Mar
   * 1 (59: 5 900).
   */
  @Test
  void behindPlanOpensChangesSeverityWithTheChecksAndResolves() throws Exception {
    try (TrackerHarness t = new TrackerHarness(BEHIND_PLAN_ONLY)) {
      t.register(
          "2026-01-10T09:00", registration("dev-zone", 3_650_000, "2026-01-01", "2026-12-31"));
      t.invest("2026-01-12T09:00", 100_000); // 1 000 of 1 500 expected: 66.7 %, warning
      t.watermark(at("2026-01-16T00:00") - 1);
      assertThat(t.alerts()).isEmpty();
      t.watermark("2026-01-16T00:00");
      ProjectAlert open = single(t.alerts());
      assertThat(open.alertId()).isEqualTo(P + ":behind_plan:2026-01-16");
      assertThat(open.severity()).isEqualTo("warning");
      assertThat(open.version()).isEqualTo(1);
      assertThat(open.detail())
          .contains(
              "check 2026-01-16",
              "1,000.00 yuan is 66.7% of the expected 1,500.00",
              "plan this year 36,500.00",
              "4.1% of the span 2026-01-01..2026-12-31",
              "planned start 2026-01-01");

      t.watermark("2026-02-01T00:00"); // 1 000 of 3 100: 32.3 %, critical
      ProjectAlert critical = single(t.alerts());
      assertThat(critical.alertId()).isEqualTo(open.alertId());
      assertThat(critical.severity()).isEqualTo("critical");
      assertThat(critical.status()).isEqualTo("open");
      assertThat(critical.version()).isEqualTo(2);

      t.invest("2026-02-10T09:00", 200_000); // 3 000 of 4 600: 65.2 %, warning again
      t.watermark("2026-02-16T00:00");
      ProjectAlert warning = single(t.alerts());
      assertThat(warning.severity()).isEqualTo("warning");
      assertThat(warning.version()).isEqualTo(3);

      t.invest("2026-02-20T09:00", 100_000);
      t.invest("2026-03-01T00:00", 100_000); // at the check: 5 000 of 5 900 is 84.7 %
      t.watermark("2026-03-01T00:00");
      ProjectAlert resolved = single(t.alerts());
      assertThat(resolved.status()).isEqualTo("resolved");
      assertThat(resolved.severity()).isEqualTo("warning");
      assertThat(resolved.version()).isEqualTo(4);
      assertThat(resolved.resolvedAt()).isEqualTo(at("2026-03-01T00:00"));
      assertThat(resolved.detail()).contains("5,000.00 yuan is 84.7% of the expected 5,900.00");
    }
  }

  @Test
  void noInvestmentIsExpectedBeforeThePlannedStartNorWithoutAPlan() throws Exception {
    try (TrackerHarness t = new TrackerHarness(BEHIND_PLAN_ONLY)) {
      t.register(
          "2026-01-10T09:00", registration("dev-zone", 3_650_000, "2026-03-01", "2026-12-31"));
      t.watermark("2026-03-01T00:00"); // D = S: nothing elapsed
      assertThat(t.alerts()).isEmpty();
      t.watermark("2026-03-16T00:00");
      assertThat(single(t.alerts()).severity()).isEqualTo("critical");
    }
    try (TrackerHarness t = new TrackerHarness(BEHIND_PLAN_ONLY)) {
      t.register("2026-01-10T09:00", registration("dev-zone", 0, "2026-01-01", "2026-12-31"));
      t.watermark("2026-12-31T00:00");
      assertThat(t.alerts()).isEmpty();
    }
  }

  @Test
  void theBehindPlanThresholdsAreOptions() throws Exception {
    ProjectOptions strict =
        new ProjectOptions(Duration.ofDays(1), NEVER_DAYS, Duration.ofDays(NEVER_DAYS), 90, 70);
    try (TrackerHarness t = new TrackerHarness(strict)) {
      t.register(
          "2026-01-10T09:00", registration("dev-zone", 3_650_000, "2026-01-01", "2026-12-31"));
      t.invest("2026-01-12T09:00", 127_500); // 85 % of 1 500: behind 90 %, not 70 %
      t.watermark("2026-01-16T00:00");
      ProjectAlert open = single(t.alerts());
      assertThat(open.severity()).isEqualTo("warning");
      assertThat(open.detail()).contains("warning below 90%, critical below 70%");
    }
  }

  // ---- completion, bounded runs ----

  @Test
  void completionResolvesEveryOpenAlertAndClearsRuleStateAndTimers() throws Exception {
    try (TrackerHarness t = new TrackerHarness()) {
      t.register(
          "2026-01-10T09:00", registration("dev-zone", 3_650_000, "2026-01-01", "2026-12-31"));
      t.milestone("2026-01-11T09:00", Milestone.CONSTRUCTION_STARTED);
      // start_overdue at the registration (deadline Jan 8 passed), resolved by the start on Jan
      // 11; behind_plan on Jan 16, no_report on Jan 25.
      t.watermark("2026-02-01T00:00");
      assertThat(t.alerts())
          .extracting(a -> a.rule() + " " + a.status())
          .containsExactly(
              "start_overdue open", "start_overdue resolved", "behind_plan open", "no_report open");
      t.milestone("2026-02-03T10:00", Milestone.COMPLETED);
      t.watermark("2026-02-03T10:00");
      List<ProjectAlert> resolved = t.alerts();
      assertThat(resolved)
          .extracting(ProjectAlert::rule)
          .containsExactlyInAnyOrder("behind_plan", "no_report");
      assertThat(resolved)
          .allSatisfy(
              a -> {
                assertThat(a.status()).isEqualTo("resolved");
                assertThat(a.resolvedAt()).isEqualTo(at("2026-02-03T10:00"));
                assertThat(a.detail()).contains("project completed 2026-02-03 10:00");
              });
      assertThat(t.eventTimeTimers()).isZero();
      assertThat(t.keyedStateEntries()).as("only the project's attributes and figures").isOne();

      // Still counted: a correction after completion reaches the KPIs; no rule wakes up.
      t.invest("2026-03-01T09:00", -5_000);
      t.watermark("2026-12-31T00:00");
      assertThat(t.facts()).filteredOn(f -> f.time() == at("2026-03-01T09:00")).hasSize(5);
      assertThat(t.alerts()).isEmpty();
      assertThat(t.eventTimeTimers()).isZero();
      assertThat(t.keyedStateEntries()).isOne();
    }
  }

  @Test
  void aBoundedRunEvaluatesRulesUpToItsLargestEventTimeAndNotBeyond() throws Exception {
    try (TrackerHarness t = new TrackerHarness(NO_REPORT_ONLY)) {
      t.register("2026-03-02T09:00", registration("dev-zone", 0, "2026-03-15", "2027-06-30"));
      t.invest("2026-03-05T10:00", 100_000);
      t.endOfInput("2026-03-19T10:00"); // the deadline itself is in
      assertThat(single(t.alerts()).openedAt()).isEqualTo(at("2026-03-19T10:00"));
    }
    try (TrackerHarness t = new TrackerHarness(NO_REPORT_ONLY)) {
      t.register("2026-03-02T09:00", registration("dev-zone", 0, "2026-03-15", "2027-06-30"));
      t.invest("2026-03-05T10:00", 100_000);
      t.send(
          cn.xingan.kpi.events.ProjectEvent.investment(
              "other", at("2026-03-18T10:00"), "XA-unknown", 5, false));
      t.endOfInput("2026-03-19T09:59");
      assertThat(t.alerts()).isEmpty();
      // What still waits for a registration when the input ends is rejected.
      assertThat(single(t.rejections()).detail()).contains("up to the end of the input");
    }
  }

  /**
   * As BATCH execution does it: all events in, no watermark until the end of the input, and timers
   * registered from a timer would be ignored. The first timer must walk the project through every
   * instant up to the input's largest event time, in order: here the checks of Jan 16 (warning) and
   * Feb 1 (critical) around the investment of Jan 20, and not the one of Mar 16.
   */
  @Test
  void atTheEndOfABoundedInputEveryInstantUpToItsLargestEventTimeIsWalkedInOrder()
      throws Exception {
    try (TrackerHarness t = new TrackerHarness(BEHIND_PLAN_ONLY)) {
      t.register(
          "2026-01-10T09:00", registration("dev-zone", 3_650_000, "2026-01-01", "2026-12-31"));
      t.invest("2026-01-12T09:00", 100_000); // Jan 16: 1 000 of 1 500, warning
      t.invest("2026-01-20T09:00", 10_000); // Feb 1: 1 100 of 3 100, critical
      t.endOfInput("2026-03-15T23:59");
      assertThat(t.alerts())
          .extracting(a -> a.version() + " " + a.severity() + " " + a.status())
          .containsExactly("1 warning open", "2 critical open");
      assertThat(t.facts()).hasSize(15);
    }
  }

  private static <T> T single(List<T> list) {
    assertThat(list).hasSize(1);
    return list.get(0);
  }
}
