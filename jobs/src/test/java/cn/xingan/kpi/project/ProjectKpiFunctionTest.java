package cn.xingan.kpi.project;

import static cn.xingan.kpi.project.TrackerHarness.CALENDAR;
import static cn.xingan.kpi.project.TrackerHarness.at;
import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.events.Milestone;
import cn.xingan.kpi.events.ProjectEventType;
import cn.xingan.kpi.kpi.ScopeKey;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * kpi_project rows of one scope from facts: stock figures as of each period's end (projects
 * registered in earlier periods count; later ones do not), flow figures of the period, the year to
 * date, rolling rows only when changed, final rows, and what state remains. Figures by hand.
 */
class ProjectKpiFunctionTest {
  private static final ScopeKey COUNTY = new ScopeKey("county", "dev-zone");
  private static final long PLAN_A = 30_000_000_000L;
  private static final long PLAN_B = 10_000_000_000L;

  private static ProjectFact fact(
      String local,
      String project,
      ProjectEventType type,
      long investment,
      Milestone milestone,
      long projects,
      long planned,
      long ytd,
      long progress) {
    return new ProjectFact(
        COUNTY,
        at(local),
        project,
        project + "@" + local,
        type,
        investment,
        milestone,
        projects,
        planned,
        ytd,
        progress,
        false);
  }

  private static ProjectFact join(String local, String project, long planned, long ytd, long pr) {
    return fact(local, project, ProjectEventType.REGISTERED, 0, null, 1, planned, ytd, pr);
  }

  private static ProjectFact invest(String local, String project, long cents, boolean stock) {
    return fact(
        local, project, ProjectEventType.INVESTMENT, cents, null, 0, 0, stock ? cents : 0, 0);
  }

  private static KeyedOneInputStreamOperatorTestHarness<ScopeKey, ProjectFact, ProjectKpiRow>
      harness(Duration emitInterval) throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(
                new ProjectKpiFunction(
                    CALENDAR, Duration.ofDays(7), Duration.ofDays(1), emitInterval)),
            ProjectFact::scope,
            TypeInformation.of(ScopeKey.class));
    h.open();
    return h;
  }

  private static void send(
      KeyedOneInputStreamOperatorTestHarness<ScopeKey, ProjectFact, ProjectKpiRow> h,
      ProjectFact... facts)
      throws Exception {
    for (ProjectFact f : facts) {
      h.processElement(new StreamRecord<>(f, f.time()));
    }
  }

  private static List<ProjectKpiRow> rows(
      KeyedOneInputStreamOperatorTestHarness<ScopeKey, ProjectFact, ProjectKpiRow> h) {
    List<ProjectKpiRow> out = h.extractOutputValues();
    h.getOutput().clear();
    return out;
  }

  private static ProjectKpiRow row(List<ProjectKpiRow> rows, String period, String start) {
    return rows.stream()
        .filter(r -> r.period().equals(period) && r.periodStart().equals(LocalDate.parse(start)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + period + " row from " + start));
  }

  /**
   * Project A registers on Mar 2 and invests 1 000.00 on Mar 5, reports 20 % on Mar 21 and starts
   * construction on Apr 2. Project B's 500.00 investment of Mar 20 08:00 waited for its
   * registration at 09:00, which brings it into the stock with 40 % progress.
   */
  @Test
  void stockIsAsOfEachPeriodsEndAndFlowIsThePeriods() throws Exception {
    var h = harness(null);
    send(
        h,
        join("2026-03-02T09:00", "A", PLAN_A, 0, 0),
        invest("2026-03-05T10:00", "A", 100_000, true),
        invest("2026-03-20T08:00", "B", 50_000, false),
        join("2026-03-20T09:00", "B", PLAN_B, 50_000, 40_000_000),
        fact("2026-03-21T10:00", "A", ProjectEventType.PROGRESS, 0, null, 0, 0, 0, 20_000_000),
        fact(
            "2026-04-02T09:00",
            "A",
            ProjectEventType.MILESTONE,
            0,
            Milestone.CONSTRUCTION_STARTED,
            0,
            0,
            0,
            0));
    assertThat(rows(h)).isEmpty();
    h.processWatermark(Long.MAX_VALUE);
    List<ProjectKpiRow> rows = rows(h);
    assertThat(rows).allMatch(ProjectKpiRow::isFinal);

    ProjectKpiRow first = row(rows, "half_month", "2026-03-01");
    assertThat(first.periodEnd()).isEqualTo(LocalDate.of(2026, 3, 15));
    assertThat(first.scope()).isEqualTo("county");
    assertThat(first.scopeKey()).isEqualTo("dev-zone");
    assertThat(first.projects()).isEqualTo(1);
    assertThat(first.plannedYearCents()).isEqualTo(PLAN_A);
    assertThat(first.investmentCents()).isEqualTo(100_000);
    assertThat(first.investmentYtdCents()).isEqualTo(100_000);
    assertThat(first.projectsReporting()).isEqualTo(1);
    assertThat(first.progressPctAvg()).isEqualTo(0.0);
    assertThat(first.events()).isEqualTo(2);
    assertThat(first.version()).isEqualTo(5);

    ProjectKpiRow second = row(rows, "half_month", "2026-03-16");
    assertThat(second.projects()).isEqualTo(2);
    assertThat(second.plannedYearCents()).isEqualTo(PLAN_A + PLAN_B);
    assertThat(second.investmentCents()).isEqualTo(50_000);
    assertThat(second.investmentYtdCents()).isEqualTo(150_000);
    assertThat(second.projectsReporting()).isEqualTo(2);
    assertThat(second.progressPctAvg()).isEqualTo(30.0); // (20 + 40) / 2
    assertThat(second.started()).isZero();
    assertThat(second.events()).isEqualTo(5);

    // Only A's start falls in the first April half: the stock still counts both projects.
    ProjectKpiRow april = row(rows, "half_month", "2026-04-01");
    assertThat(april.projects()).isEqualTo(2);
    assertThat(april.investmentCents()).isZero();
    assertThat(april.investmentYtdCents()).isEqualTo(150_000);
    assertThat(april.projectsReporting()).isEqualTo(1);
    assertThat(april.started()).isEqualTo(1);
    assertThat(april.progressPctAvg()).isEqualTo(30.0);
    assertThat(april.events()).isEqualTo(6);
    assertThat(april.version()).isEqualTo(13);

    ProjectKpiRow march = row(rows, "month", "2026-03-01");
    assertThat(march.investmentCents()).isEqualTo(150_000);
    assertThat(march.projectsReporting()).isEqualTo(2);
    assertThat(march.projects()).isEqualTo(2);

    ProjectKpiRow year = row(rows, "year", "2026-01-01");
    assertThat(year.investmentCents()).isEqualTo(150_000);
    assertThat(year.started()).isEqualTo(1);
    assertThat(year.completed()).isZero();
    // No row for a period without a fact of the scope: the second April half, May, ...
    assertThat(rows).noneMatch(r -> r.periodStart().equals(LocalDate.of(2026, 4, 16)));
    assertThat(rows).hasSize(3 + 3 + 2 + 2 + 1); // weeks, halves, months, quarters, year

    // The scope's running stock stays for later periods; nothing else does.
    assertThat(h.numKeyedStateEntries()).isOne();
    assertThat(h.numEventTimeTimers()).isZero();
    h.close();
  }

  @Test
  void theYearToDateStartsAgainOnJanuaryFirst() throws Exception {
    var h = harness(Duration.ofSeconds(10));
    h.setProcessingTime(0);
    send(
        h,
        join("2025-12-20T09:00", "A", PLAN_A, 0, 0),
        invest("2025-12-28T09:00", "A", 100_000, true),
        invest("2025-12-30T09:00", "A", 20_000, true));
    // December and the year-crossing week (Dec 29 - Jan 4) are final; every day up to Jan 13
    // is folded into the base, which holds 2025's year to date.
    h.processWatermark(at("2026-01-20T00:00"));
    List<ProjectKpiRow> early = rows(h);
    assertThat(row(early, "month", "2025-12-01").investmentYtdCents()).isEqualTo(120_000);
    ProjectKpiRow crossing = row(early, "week", "2025-12-29");
    assertThat(crossing.periodEnd()).isEqualTo(LocalDate.of(2026, 1, 4));
    assertThat(crossing.investmentCents()).isEqualTo(20_000);
    assertThat(crossing.investmentYtdCents()).as("2026 so far, on Jan 4").isZero();
    send(h, invest("2026-01-05T09:00", "A", 30_000, true));
    h.processWatermark(Long.MAX_VALUE);
    List<ProjectKpiRow> rows = rows(h);
    assertThat(row(rows, "month", "2026-01-01").investmentYtdCents()).isEqualTo(30_000);
    assertThat(row(rows, "month", "2026-01-01").projects()).isEqualTo(1);
    assertThat(row(early, "year", "2025-01-01").investmentYtdCents()).isEqualTo(120_000);
    h.close();
  }

  @Test
  void rollingRowsSeeOnlyFactsUpToTheirEndWhateverTheArrivalOrder() throws Exception {
    var h = harness(Duration.ofSeconds(10));
    h.setProcessingTime(1_000);
    // B's registration (Mar 20) arrives before A's facts of early March.
    send(
        h,
        join("2026-03-20T09:00", "B", PLAN_B, 0, 0),
        invest("2026-03-05T10:00", "A", 100_000, true),
        join("2026-03-02T09:00", "A", PLAN_A, 0, 0));
    h.setProcessingTime(10_000);
    List<ProjectKpiRow> rolling = rows(h);
    assertThat(rolling).noneMatch(ProjectKpiRow::isFinal);
    ProjectKpiRow first = row(rolling, "half_month", "2026-03-01");
    assertThat(first.projects()).isEqualTo(1);
    assertThat(first.plannedYearCents()).isEqualTo(PLAN_A);
    assertThat(first.version()).isEqualTo(4);
    assertThat(row(rolling, "half_month", "2026-03-16").projects()).isEqualTo(2);

    // Nothing changed: no rows. A fact of Mar 20 changes the second half and the month only.
    h.setProcessingTime(20_000);
    assertThat(rows(h)).isEmpty();
    send(h, invest("2026-03-20T10:00", "B", 7, true));
    h.setProcessingTime(30_000);
    assertThat(rows(h))
        .extracting(r -> r.period() + " " + r.periodStart())
        .containsExactlyInAnyOrder(
            "week 2026-03-16",
            "half_month 2026-03-16",
            "month 2026-03-01",
            "quarter 2026-01-01",
            "year 2026-01-01");

    // The first half of March is final 7 days after its end.
    h.processWatermark(at("2026-03-23T00:00"));
    List<ProjectKpiRow> fin = rows(h);
    assertThat(fin)
        .extracting(r -> r.period() + " " + r.periodStart())
        .containsExactlyInAnyOrder("week 2026-03-02", "half_month 2026-03-01");
    assertThat(row(fin, "half_month", "2026-03-01").version()).isEqualTo(5);

    // An event of Mar 5 that only reaches the scope now (it waited for its registration). The
    // week of Mar 2 is gone: a registration that could release an event into it (by Mar 9, a day
    // after its end) is late from Mar 23. The first half of March is kept until Mar 30 (a
    // registration on Mar 16 is admitted until then): its final row is written again, corrected.
    // The open month counts it.
    send(h, invest("2026-03-05T11:00", "C", 9, false));
    h.processWatermark(Long.MAX_VALUE);
    List<ProjectKpiRow> rest = rows(h);
    assertThat(rest).noneMatch(r -> r.periodStart().equals(LocalDate.of(2026, 3, 2)));
    ProjectKpiRow corrected = row(rest, "half_month", "2026-03-01");
    assertThat(corrected.isFinal()).isTrue();
    assertThat(corrected.investmentCents()).isEqualTo(100_009);
    assertThat(corrected.projectsReporting()).isEqualTo(2);
    assertThat(corrected.events()).isEqualTo(3);
    assertThat(corrected.version()).isEqualTo(7).isGreaterThan(5);
    assertThat(row(rest, "month", "2026-03-01").investmentCents()).isEqualTo(100_016);
    assertThat(row(rest, "month", "2026-03-01").events()).isEqualTo(5);
    assertThat(h.numKeyedStateEntries()).isOne();
    assertThat(h.numEventTimeTimers()).isZero();
    assertThat(h.numProcessingTimeTimers()).isZero();
    h.close();
  }
}
