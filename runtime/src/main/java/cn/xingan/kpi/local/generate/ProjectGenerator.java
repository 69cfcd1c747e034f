package cn.xingan.kpi.local.generate;

import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Realistic {@code project-progress} events (CONTRACT.md §1) for one year of the League's major
 * projects (DOMAIN.md, stream 1): 197 projects over the eight areas and the 20 industry chains,
 * annual plans summing to about 27.2 billion yuan and total investment to about 138.24 billion.
 * Projects register in January and February, start construction in spring, report investment weekly
 * (the chains' "dispatch every week") and progress every half month (the "inspection every half
 * month"), pass their milestones as progress grows, and about a quarter complete within the year.
 * Some are what the alerts are for ({@link ProjectPlan.Profile}): late to start, silent for weeks,
 * behind their plan; a few re-register in July with an adjusted plan, and some investments are
 * corrected with a negative amount.
 *
 * <p>A pure function of (seed, zone, year), each project from its own random stream: {@link
 * #events()} is the whole year in event-time order, {@link #forEachBetween} a window of it, so
 * consecutive windows give the year exactly once. Record key: {@code project_id}; event ids carry
 * the seed, so another seed does not collide.
 */
public final class ProjectGenerator {

  /** The Kafka topic and the backfill {@code stream} value. */
  public static final String STREAM = "project-progress";

  public static final int PROJECTS = 197;

  private final ZoneId zone;
  private final List<ProjectPlan> plans;
  private List<GeneratedEvent> events;

  public ProjectGenerator(long seed, ZoneId zone, int year) {
    if (zone == null) {
      throw new IllegalArgumentException("zone must not be null");
    }
    this.zone = zone;
    this.plans = ProjectPlan.portfolio(seed, year, PROJECTS);
  }

  /** The projects of the year, with their plans and profiles. */
  public List<ProjectPlan> plans() {
    return plans;
  }

  /** Every event of the year, in event-time order. */
  public List<GeneratedEvent> events() {
    if (events == null) {
      List<GeneratedEvent> all = new ArrayList<>();
      for (ProjectPlan p : plans) {
        new ProjectLife(p, zone, all).live();
      }
      all.sort(Comparator.comparing(GeneratedEvent::eventTime));
      events = all;
    }
    return events;
  }

  /** The events with {@code from <= event_time < to}, in event-time order. */
  public void forEachBetween(Instant from, Instant to, Consumer<GeneratedEvent> consumer) {
    List<GeneratedEvent> all = events();
    int lo = 0;
    int hi = all.size();
    while (lo < hi) { // first event at or after `from`
      int mid = (lo + hi) >>> 1;
      if (all.get(mid).eventTime().isBefore(from)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    for (int i = lo; i < all.size() && all.get(i).eventTime().isBefore(to); i++) {
      consumer.accept(all.get(i));
    }
  }

  /**
   * One project's year as events: registration, start, weekly investment, half-monthly progress.
   */
  private static final class ProjectLife {
    private final ProjectPlan p;
    private final ZoneId zone;
    private final List<GeneratedEvent> out;
    private final Random random;
    private final StringBuilder json = new StringBuilder(400);
    private int seq;
    private long plannedYearCents;

    ProjectLife(ProjectPlan p, ZoneId zone, List<GeneratedEvent> out) {
      this.p = p;
      this.zone = zone;
      this.out = out;
      this.random = new Random(p.seed() * 31 + p.projectId().hashCode());
      this.plannedYearCents = p.plannedYearCents();
    }

    void live() {
      registered(p.registeredAt(), p.county(), plannedYearCents);
      LocalDate yearEnd = LocalDate.of(p.year(), 12, 31);
      LocalDate started = p.actualStart();
      // Until construction starts, the weekly dispatch reports preparatory work: 0 %.
      for (LocalDate week = p.registeredAt().toLocalDate().plusDays(7);
          week.isBefore(started) && !week.isAfter(yearEnd);
          week = week.plusDays(7)) {
        if (!p.isSilentOn(week)) {
          progress(workingTime(week), 0);
        }
      }
      if (!started.isAfter(yearEnd)) {
        milestone(workingTime(started), "construction_started");
      }
      investments(started, yearEnd);
      progress(started, yearEnd);
    }

    private void investments(LocalDate started, LocalDate yearEnd) {
      long span = Math.max(1, ChronoUnit.DAYS.between(p.plannedStart(), yearEnd) + 1);
      LocalDate replan = LocalDate.of(p.year(), 7, 1).plusDays(random.nextInt(14));
      for (LocalDate week = started; !week.isAfter(yearEnd); week = week.plusDays(7)) {
        if (p.reRegisters() && !week.isBefore(replan) && plannedYearCents == p.plannedYearCents()) {
          plannedYearCents = Math.round(p.plannedYearCents() * (0.8 + random.nextDouble() * 0.45));
          plannedYearCents -= plannedYearCents % 1_000_000; // whole 10 000 yuan, as plans are
          registered(workingTime(replan), p.county(), plannedYearCents);
        }
        if (p.isSilentOn(week) || (p.completes() && week.isAfter(p.plannedCompletion()))) {
          continue;
        }
        double factor = p.investmentShare() * (0.7 + random.nextDouble() * 0.6);
        long cents = Math.max(100, Math.round(plannedYearCents * 7.0 / span * factor));
        LocalDateTime at = workingTime(week);
        investment(at, cents, false);
        if (random.nextInt(50) == 0) { // a reporting error, corrected a few days later
          long correction = -Math.max(1, cents * (5 + random.nextInt(16)) / 100);
          investment(workingTime(week.plusDays(1 + random.nextInt(3))), correction, true);
        }
      }
    }

    private void progress(LocalDate started, LocalDate yearEnd) {
      long duration = Math.max(1, ChronoUnit.DAYS.between(started, p.plannedCompletion()));
      String[] milestones = {"half_complete", "trial_run", "in_production", "completed"};
      double[] at = {50, 85, 95, 100};
      int next = 0;
      for (LocalDate d = started.withDayOfMonth(1); !d.isAfter(yearEnd); d = d.plusMonths(1)) {
        for (LocalDate report : List.of(d.plusDays(random.nextInt(2)), d.plusDays(15))) {
          if (!report.isAfter(started) || report.isAfter(yearEnd) || p.isSilentOn(report)) {
            continue;
          }
          double share = Math.min(1, (double) ChronoUnit.DAYS.between(started, report) / duration);
          double pct = Math.min(100, Math.floor(share * p.progressPace() * 200) / 2);
          LocalDateTime time = workingTime(report);
          progress(time, pct);
          while (next < at.length && pct >= at[next]) {
            milestone(time.plusMinutes(10 + next), milestones[next]);
            next++;
          }
          if (next == at.length) {
            return; // completed: no more reports
          }
        }
      }
    }

    /** A working hour on the day, or on the next Monday for a weekend day. */
    private LocalDateTime workingTime(LocalDate day) {
      while (day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY) {
        day = day.plusDays(1);
      }
      return day.atTime(9 + random.nextInt(9), random.nextInt(60), random.nextInt(60));
    }

    private void registered(LocalDateTime at, String county, long plannedYear) {
      start("registered", at);
      json.append(",\"project_name\":");
      JsonText.appendQuoted(json, p.name());
      json.append(",\"county\":\"").append(county).append('"');
      json.append(",\"chain\":\"").append(p.chain().code()).append('"');
      json.append(",\"list\":\"").append(p.list()).append('"');
      json.append(",\"planned_total_cny\":").append(yuan(p.plannedTotalCents()));
      json.append(",\"planned_year_cny\":").append(yuan(plannedYear));
      json.append(",\"planned_start\":\"").append(p.plannedStart()).append('"');
      json.append(",\"planned_completion\":\"").append(p.plannedCompletion()).append('"');
      end(at);
    }

    private void investment(LocalDateTime at, long cents, boolean correction) {
      start("investment", at);
      json.append(",\"amount_cny\":").append(yuan(cents));
      if (correction) {
        json.append(",\"correction\":true");
      }
      end(at);
    }

    private void progress(LocalDateTime at, double pct) {
      start("progress", at);
      json.append(",\"progress_pct\":")
          .append(pct == Math.rint(pct) ? Long.toString((long) pct) : Double.toString(pct));
      end(at);
    }

    private void milestone(LocalDateTime at, String milestone) {
      start("milestone", at);
      json.append(",\"milestone\":\"").append(milestone).append('"');
      end(at);
    }

    private void start(String type, LocalDateTime at) {
      json.setLength(0);
      json.append("{\"event_id\":\"pp-")
          .append(p.eventIdPrefix())
          .append('-')
          .append(++seq)
          .append("\",\"event_time\":\"");
      JsonText.appendTime(json, at.atZone(zone).toEpochSecond(), zone.getRules());
      json.append("\",\"project_id\":\"").append(p.projectId()).append("\",\"type\":\"");
      json.append(type).append('"');
    }

    private void end(LocalDateTime at) {
      if (at.getYear() != p.year()) {
        return; // moved past the year's last working day: not this year's any more
      }
      json.append('}');
      out.add(
          new GeneratedEvent(
              p.projectId(),
              json.toString().getBytes(StandardCharsets.UTF_8),
              at.atZone(zone).toInstant()));
    }

    private static String yuan(long cents) {
      return java.math.BigDecimal.valueOf(cents, 2).toPlainString();
    }
  }
}
