package cn.xingan.kpi.project;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.alerts.ProjectAlert;
import cn.xingan.kpi.events.ProjectEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Many random project histories ({@link RandomHistories}), each streamed through tracker and KPI
 * function in several random orders the job admits, against a backfill of the same events:
 *
 * <ul>
 *   <li>every row of the backfill exists in streaming with the same values (all but version and
 *       updated_at), and its version is at least the backfill's; a row only streaming has belongs
 *       to a scope that a late registration took every fact of the period from: no flow;
 *   <li>every alert of the backfill is in streaming in the same state; one only streaming has is
 *       withdrawn;
 *   <li>for every key, versions never go down in the order rows and alerts were written, and the
 *       last final row has the highest version of its key;
 *   <li>the rejections are the same records.
 * </ul>
 */
class ArrivalOrderPropertyTest {
  private static final Duration OUT_OF_ORDERNESS = Duration.ofMinutes(5);

  @Test
  void everyAdmittedOrderGivesTheBackfillsRowsAndAlerts() throws Exception {
    int orders = 0;
    for (long seed = 1; seed <= 50; seed++) {
      List<ProjectEvent> history = RandomHistories.generate(seed, 3);
      Outcome backfill = run(history, true);
      for (int k = 0; k < 3; k++) {
        List<ProjectEvent> order =
            RandomHistories.arrival(history, seed * 31 + k, Duration.ofDays(7), OUT_OF_ORDERNESS);
        Outcome streamed = run(order, false);
        String at = "seed " + seed + ", order " + k;
        assertSame(at, streamed, backfill);
        count(streamed, backfill, order);
        orders++;
      }
      // and in event-time order, as a source without delays sends it
      List<ProjectEvent> inOrder = new ArrayList<>(history);
      inOrder.sort(Comparator.comparingLong(ProjectEvent::eventTime));
      assertSame("seed " + seed + ", in event-time order", run(inOrder, false), backfill);
    }
    assertThat(orders).isEqualTo(150);
    // The orders exercise what they are for.
    assertThat(behindTheWatermark).as("events arriving behind the watermark").isGreaterThan(1000);
    assertThat(correctedRows).as("rows whose version a correction raised").isGreaterThan(3000);
    assertThat(correctedAlerts).as("alerts whose version a correction raised").isGreaterThan(20);
    assertThat(withdrawn).as("alerts withdrawn").isGreaterThan(30);
    assertThat(extraRows).as("rows only streaming has").isGreaterThan(30);
  }

  private int behindTheWatermark;
  private int correctedRows;
  private int correctedAlerts;
  private int withdrawn;
  private int extraRows;

  private void count(Outcome s, Outcome b, List<ProjectEvent> order) {
    long max = Long.MIN_VALUE;
    for (ProjectEvent e : order) {
      if (max != Long.MIN_VALUE && e.eventTime() <= max - OUT_OF_ORDERNESS.toMillis() - 1) {
        behindTheWatermark++;
      }
      max = Math.max(max, e.eventTime());
    }
    for (Map.Entry<String, ProjectKpiRow> e : s.rows().entrySet()) {
      ProjectKpiRow x = b.rows().get(e.getKey());
      if (x == null) {
        extraRows++;
      } else if (e.getValue().version() > x.version()) {
        correctedRows++;
      }
    }
    for (Map.Entry<String, ProjectAlert> e : s.alerts().entrySet()) {
      ProjectAlert x = b.alerts().get(e.getKey());
      if (x == null) {
        withdrawn++;
      } else if (e.getValue().version() > x.version()) {
        correctedAlerts++;
      }
    }
  }

  private record Outcome(
      Map<String, ProjectKpiRow> rows,
      List<ProjectKpiRow> written,
      Map<String, ProjectAlert> alerts,
      List<ProjectAlert> alertVersions,
      List<String> rejected) {}

  private static Outcome run(List<ProjectEvent> order, boolean bounded) throws Exception {
    try (PipelineHarness h = new PipelineHarness(bounded)) {
      long max = Long.MIN_VALUE;
      for (ProjectEvent e : order) {
        h.send(e);
        max = Math.max(max, e.eventTime());
        if (!bounded) {
          h.watermark(max - OUT_OF_ORDERNESS.toMillis() - 1);
          h.tick();
        }
      }
      h.endOfInput(
          Instant.ofEpochMilli(max).atZone(RandomHistories.ZONE).toLocalDateTime().toString());
      List<String> rejected = new ArrayList<>();
      h.tracker.rejections().forEach(r -> rejected.add(r.eventId() + " " + r.reason()));
      rejected.sort(null);
      return new Outcome(
          h.rows(), new ArrayList<>(h.written()), h.alerts(), h.alertVersions(), rejected);
    }
  }

  private static void assertSame(String at, Outcome s, Outcome b) {
    for (Map.Entry<String, ProjectKpiRow> e : b.rows().entrySet()) {
      ProjectKpiRow x = e.getValue();
      ProjectKpiRow y = s.rows().get(e.getKey());
      assertThat(y).as(at + ": row " + e.getKey()).isNotNull();
      assertThat(values(y)).as(at + ": row " + e.getKey()).isEqualTo(values(x));
      assertThat(y.version())
          .as(at + ": version " + e.getKey())
          .isGreaterThanOrEqualTo(x.version());
    }
    for (Map.Entry<String, ProjectKpiRow> e : s.rows().entrySet()) {
      if (!b.rows().containsKey(e.getKey())) {
        ProjectKpiRow y = e.getValue();
        assertThat(y.investmentCents() == 0 && y.projectsReporting() == 0 && y.started() == 0)
            .as(at + ": extra row without flow " + y)
            .isTrue();
        assertThat(y.isFinal()).as(at + ": " + y).isTrue();
      }
    }
    for (Map.Entry<String, ProjectAlert> e : b.alerts().entrySet()) {
      ProjectAlert y = s.alerts().get(e.getKey());
      assertThat(y).as(at + ": alert " + e.getKey()).isNotNull();
      assertThat(y.sameAs(e.getValue()))
          .as(at + ": alert %s is %s, backfill %s", e.getKey(), y, e.getValue())
          .isTrue();
      assertThat(y.version()).isGreaterThanOrEqualTo(e.getValue().version());
    }
    for (Map.Entry<String, ProjectAlert> e : s.alerts().entrySet()) {
      if (!b.alerts().containsKey(e.getKey())) {
        assertThat(e.getValue().withdrawn()).as(at + ": extra alert " + e.getValue()).isTrue();
      }
    }
    Map<String, Long> rowVersion = new HashMap<>();
    Map<String, Boolean> lastFinal = new HashMap<>();
    for (ProjectKpiRow r : s.written()) {
      String key = PipelineHarness.key(r);
      Long before = rowVersion.put(key, r.version());
      assertThat(before == null || r.version() > before)
          .as(at + ": version of %s went from %s to %s", key, before, r.version())
          .isTrue();
      lastFinal.put(key, r.isFinal());
    }
    assertThat(lastFinal)
        .as(at + ": the last row of every key is final")
        .doesNotContainValue(false);
    Map<String, Long> alertVersion = new HashMap<>();
    for (ProjectAlert a : s.alertVersions()) {
      Long before = alertVersion.put(a.alertId(), a.version());
      assertThat(before == null || a.version() > before)
          .as(at + ": version of %s went from %s to %s", a.alertId(), before, a.version())
          .isTrue();
    }
    assertThat(s.rejected()).as(at + ": rejections").isEqualTo(b.rejected());
  }

  private static String values(ProjectKpiRow r) {
    return String.join(
        " ",
        "projects=" + r.projects(),
        "planned=" + r.plannedYearCents(),
        "investment=" + r.investmentCents(),
        "ytd=" + r.investmentYtdCents(),
        "reporting=" + r.projectsReporting(),
        "started=" + r.started(),
        "half=" + r.halfComplete(),
        "completed=" + r.completed(),
        "progress=" + r.progressPctAvg(),
        "events=" + r.events(),
        "final=" + r.isFinal());
  }
}
