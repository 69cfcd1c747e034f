package cn.xingan.kpi.local.generate;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.EventDecoder;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.events.Milestone;
import cn.xingan.kpi.events.Origin;
import cn.xingan.kpi.events.ProjectEvent;
import cn.xingan.kpi.events.ProjectEventType;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generated project year: the document's figures (197 projects, 27.2 and 138.24 billion yuan,
 * eight areas, 20 chains), contract-valid events (each decoded by the job's own decoder), and the
 * behaviours the alerts are for, checked from the events themselves.
 */
class ProjectGeneratorTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final EventDecoder DECODER = new EventDecoder(-1, 1 << 20);

  private static ProjectGenerator generator;
  private static List<GeneratedEvent> events;
  private static Map<String, List<ProjectEvent>> byProject;

  @BeforeAll
  static void generate() {
    generator = new ProjectGenerator(42, SHANGHAI, 2026);
    events = generator.events();
    byProject = new HashMap<>();
    for (GeneratedEvent g : events) {
      Envelope e =
          DECODER.decode(
              EventStream.PROJECT_PROGRESS, new Origin("project-progress", 0, 0, g.json()), 0);
      assertThat(e.isRejected())
          .as("%s: %s", g.jsonText(), e.isRejected() ? e.rejection().detail() : "")
          .isFalse();
      assertThat(e.project().projectId()).isEqualTo(g.key());
      assertThat(e.project().eventTime()).isEqualTo(g.eventTime().toEpochMilli());
      byProject.computeIfAbsent(g.key(), k -> new ArrayList<>()).add(e.project());
    }
  }

  @Test
  void theDocumentsFigures() {
    List<ProjectPlan> plans = generator.plans();
    assertThat(plans).hasSize(197);
    assertThat(byProject).hasSize(197);
    long year = plans.stream().mapToLong(ProjectPlan::plannedYearCents).sum();
    long total = plans.stream().mapToLong(ProjectPlan::plannedTotalCents).sum();
    assertThat(year / 100.0)
        .isCloseTo(27.2e9, org.assertj.core.data.Percentage.withPercentage(0.5));
    assertThat(total / 100.0)
        .isCloseTo(138.24e9, org.assertj.core.data.Percentage.withPercentage(1));
    assertThat(plans.stream().map(ProjectPlan::county).distinct()).hasSize(8);
    assertThat(plans.stream().map(p -> p.chain().code()).distinct()).hasSize(20);
    assertThat(plans.stream().map(ProjectPlan::list).distinct())
        .containsExactlyInAnyOrder("key", "highlight", "difficult");
    assertThat(plans).allSatisfy(p -> assertThat(p.plannedYearCents() % 1_000_000).isZero());
    assertThat(plans)
        .allSatisfy(
            p -> assertThat(p.plannedTotalCents()).isGreaterThanOrEqualTo(p.plannedYearCents()));
  }

  @Test
  void eventsAreInTimeOrderWithinTheYearAndEachProjectRegistersFirst() {
    for (int i = 1; i < events.size(); i++) {
      assertThat(events.get(i).eventTime()).isAfterOrEqualTo(events.get(i - 1).eventTime());
    }
    assertThat(events.get(0).eventTime())
        .isAfterOrEqualTo(LocalDate.of(2026, 1, 1).atStartOfDay(SHANGHAI).toInstant());
    assertThat(events.get(events.size() - 1).eventTime())
        .isBefore(LocalDate.of(2027, 1, 1).atStartOfDay(SHANGHAI).toInstant());
    for (List<ProjectEvent> evs : byProject.values()) {
      assertThat(evs.get(0).type()).isEqualTo(ProjectEventType.REGISTERED);
    }
    assertThat(events.stream().map(e -> new String(e.json())).distinct()).hasSize(events.size());
    // weekly investment and half-monthly progress for 197 projects
    assertThat(events).hasSizeBetween(8_000, 16_000);
  }

  @Test
  void theYearHasWhatTheAlertsAreFor() {
    int lateStarts = 0;
    int silent = 0;
    int behind = 0;
    int reRegistered = 0;
    int corrections = 0;
    int completed = 0;
    Map<String, ProjectPlan> plans =
        generator.plans().stream().collect(Collectors.toMap(ProjectPlan::projectId, p -> p));
    for (Map.Entry<String, List<ProjectEvent>> e : byProject.entrySet()) {
      ProjectPlan plan = plans.get(e.getKey());
      List<ProjectEvent> evs = e.getValue();
      long started =
          evs.stream()
              .filter(x -> x.milestone() == Milestone.CONSTRUCTION_STARTED)
              .mapToLong(ProjectEvent::eventTime)
              .findFirst()
              .orElse(Long.MAX_VALUE);
      long deadline =
          plan.plannedStart().plusDays(7).atStartOfDay(SHANGHAI).toInstant().toEpochMilli();
      lateStarts += started > deadline ? 1 : 0;
      long gap = 0;
      long last = Long.MIN_VALUE;
      for (ProjectEvent x : evs) {
        if (x.type().isReport()
            && x.eventTime() < Instant.parse("2026-11-01T00:00:00Z").toEpochMilli()) {
          if (last != Long.MIN_VALUE) {
            gap = Math.max(gap, x.eventTime() - last);
          }
          last = x.eventTime();
        }
      }
      silent += gap > Duration.ofDays(21).toMillis() ? 1 : 0;
      long invested =
          evs.stream()
              .filter(x -> x.type() == ProjectEventType.INVESTMENT)
              .mapToLong(ProjectEvent::amountCents)
              .sum();
      behind += invested < plan.plannedYearCents() * 0.6 ? 1 : 0;
      reRegistered +=
          evs.stream().filter(x -> x.type() == ProjectEventType.REGISTERED).count() > 1 ? 1 : 0;
      corrections += (int) evs.stream().filter(ProjectEvent::correction).count();
      completed += evs.stream().anyMatch(x -> x.milestone() == Milestone.COMPLETED) ? 1 : 0;
    }
    assertThat(lateStarts).as("late to start").isBetween(8, 30);
    assertThat(silent).as("silent for weeks").isBetween(5, 30);
    assertThat(behind).as("well behind plan").isBetween(5, 60);
    assertThat(reRegistered).as("re-registered").isPositive();
    assertThat(corrections).as("corrections").isPositive();
    assertThat(completed).as("completed this year").isBetween(20, 60);
  }

  @Test
  void windowsTileTheYearAndTheSameSeedGivesTheSameEvents() {
    List<GeneratedEvent> tiled = new ArrayList<>();
    Instant from = Instant.parse("2025-12-01T00:00:00Z");
    for (int i = 0; i < 60; i++) {
      Instant to = from.plus(Duration.ofDays(7));
      generator.forEachBetween(from, to, tiled::add);
      from = to;
    }
    assertThat(tiled).isEqualTo(events);
    assertThat(new ProjectGenerator(42, SHANGHAI, 2026).events()).isEqualTo(events);
    assertThat(new ProjectGenerator(43, SHANGHAI, 2026).events().get(0).jsonText())
        .isNotEqualTo(events.get(0).jsonText());
  }
}
