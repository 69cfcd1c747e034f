package cn.xingan.kpi.testing.projects;

import cn.xingan.kpi.testing.projects.ProjectYear.Ev;
import cn.xingan.kpi.testing.projects.ProjectYear.Reg;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the job must produce for a list of project events, computed directly from the definitions
 * (CONTRACT.md §3 and the interpretations of the project pipeline), with none of the job's code:
 * for each row, the projects and events are filtered anew; for each project, the rules are walked
 * over its reports and check days. Slow and simple on purpose.
 *
 * <p>Interpretations: a project's attributes at an instant are those of its latest registration at
 * or before it (an event before the first registration takes the first registration's); a row's
 * stock figures (projects, plan, year to date, progress) are over the projects whose attributes at
 * the period's end put them in the scope; its flow figures are over the events of the period in the
 * scope of their project at their time; a registration that changes the scope touches both scopes;
 * {@code events} counts the touches of the scope up to the period's end.
 */
public final class ProjectOracle {
  private static final long DAY = 86_400_000L;

  private final ZoneId zone;
  private final Map<String, List<Ev>> byProject;
  private final long inputEnd;

  /** The rules run up to the largest event time, as in a bounded run. */
  public ProjectOracle(List<Ev> events, ZoneId zone) {
    this(events, zone, events.stream().mapToLong(Ev::time).max().orElseThrow());
  }

  /**
   * The rules run up to {@code rulesUpTo} (epoch ms), as in a streaming run whose watermark has
   * reached it; at most to the day before the first check day after {@link ProjectYear#YEAR}
   * (January 16 of the next year), the last one this oracle knows.
   */
  public ProjectOracle(List<Ev> events, ZoneId zone, long rulesUpTo) {
    this.zone = zone;
    this.byProject =
        events.stream()
            .collect(Collectors.groupingBy(Ev::projectId, TreeMap::new, Collectors.toList()));
    this.inputEnd = rulesUpTo;
    long lastCheck =
        LocalDate.of(ProjectYear.YEAR + 1, 1, 16).atStartOfDay(zone).toInstant().toEpochMilli();
    if (rulesUpTo >= lastCheck) {
      throw new IllegalArgumentException(
          "rules up to "
              + java.time.Instant.ofEpochMilli(rulesUpTo)
              + ": this oracle knows check days only up to "
              + (ProjectYear.YEAR + 1)
              + "-01-01, expected a time before the 16th");
    }
    for (List<Ev> evs : byProject.values()) {
      long registered = registeredAt(evs);
      if (evs.get(0).time() < registered - DAY) {
        throw new IllegalArgumentException(
            "this oracle does not model unknown_project: "
                + evs.get(0)
                + " is more than a day"
                + " before its project's registration");
      }
    }
  }

  /** An expected kpi_project row. */
  public record Row(
      long projects,
      BigDecimal planned,
      BigDecimal investment,
      BigDecimal ytd,
      long reporting,
      long started,
      long halfComplete,
      long trialRun,
      long inProduction,
      long completed,
      double progressAvg,
      long events) {}

  /**
   * Expected rows of a scope kind ({@code league}, {@code county}, {@code chain}, {@code list},
   * {@code project}) for a period kind ({@code week}, {@code half_month}, {@code month}, {@code
   * quarter}, {@code year}), by {@code period|start|scope|key}.
   */
  public Map<String, Row> rows(String period, String scope) {
    Map<String, Row> rows = new TreeMap<>();
    for (LocalDate start : periodStarts(period)) {
      LocalDate end = periodEnd(period, start);
      long from = startOf(start);
      long to = startOf(end.plusDays(1));
      Set<String> keys = new HashSet<>();
      for (List<Ev> evs : byProject.values()) {
        for (Ev e : evs) {
          if (e.time() >= from && e.time() < to) {
            keys.addAll(touched(e, scope));
          }
        }
      }
      for (String key : keys) {
        rows.put(period + "|" + start + "|" + scope + "|" + key, row(scope, key, from, to, end));
      }
    }
    return rows;
  }

  /**
   * The expected figures of any period and scope key, also of one no event of the period touches (a
   * scope that a project left before the period: no flow, the stock at its end).
   */
  public Row row(String period, LocalDate start, String scope, String key) {
    LocalDate end = periodEnd(period, start);
    return row(scope, key, startOf(start), startOf(end.plusDays(1)), end);
  }

  private Row row(String scope, String key, long from, long to, LocalDate end) {
    long projects = 0;
    long planned = 0;
    long ytd = 0;
    double progress = 0;
    long investment = 0;
    long events = 0;
    Set<String> reporting = new HashSet<>();
    Map<String, Set<String>> milestones = new LinkedHashMap<>();
    long jan1 = startOf(LocalDate.of(end.getYear(), 1, 1));
    for (Map.Entry<String, List<Ev>> p : byProject.entrySet()) {
      List<Ev> evs = p.getValue();
      Reg atEnd = latestRegistrationBefore(evs, to);
      if (atEnd != null && key(atEnd, p.getKey(), scope).equals(key)) {
        projects++;
        planned += atEnd.plannedYearCents();
        ytd +=
            evs.stream()
                .filter(e -> e.type().equals("investment") && e.time() >= jan1 && e.time() < to)
                .mapToLong(Ev::amountCents)
                .sum();
        progress +=
            evs.stream()
                .filter(e -> e.type().equals("progress") && e.time() < to)
                .reduce((a, b) -> b)
                .map(e -> e.progressPct().doubleValue())
                .orElse(0.0);
      }
      for (Ev e : evs) {
        if (e.time() < to) {
          events += touched(e, scope).stream().filter(key::equals).count();
        }
        if (e.time() < from || e.time() >= to || !e.isReport()) {
          continue;
        }
        if (!key(attributesAt(evs, e.time()), p.getKey(), scope).equals(key)) {
          continue;
        }
        reporting.add(p.getKey());
        if (e.type().equals("investment")) {
          investment += e.amountCents();
        }
        if (e.milestone() != null) {
          milestones.computeIfAbsent(e.milestone(), m -> new HashSet<>()).add(p.getKey());
        }
      }
    }
    Function<String, Long> count = m -> (long) milestones.getOrDefault(m, Set.of()).size();
    return new Row(
        projects,
        BigDecimal.valueOf(planned, 2),
        BigDecimal.valueOf(investment, 2),
        BigDecimal.valueOf(ytd, 2),
        reporting.size(),
        count.apply("construction_started"),
        count.apply("half_complete"),
        count.apply("trial_run"),
        count.apply("in_production"),
        count.apply("completed"),
        projects == 0 ? 0 : progress / projects,
        events);
  }

  /** The scope keys an event touches. */
  private List<String> touched(Ev e, String scope) {
    List<Ev> evs = byProject.get(e.projectId());
    if (!e.type().equals("registered")) {
      return List.of(key(attributesAt(evs, e.time()), e.projectId(), scope));
    }
    Reg before = latestRegistrationBefore(evs, e.time());
    String now = key(e.reg(), e.projectId(), scope);
    if (before == null || key(before, e.projectId(), scope).equals(now)) {
      return List.of(now);
    }
    return List.of(key(before, e.projectId(), scope), now);
  }

  private static String key(Reg r, String projectId, String scope) {
    return switch (scope) {
      case "league" -> "";
      case "county" -> r.county();
      case "chain" -> r.chain();
      case "list" -> r.list();
      default -> projectId;
    };
  }

  /** Attributes at {@code t}: the latest registration at or before it, else the first one. */
  private static Reg attributesAt(List<Ev> evs, long t) {
    Reg r = latestRegistrationBefore(evs, t + 1);
    if (r != null) {
      return r;
    }
    return evs.stream().filter(e -> e.type().equals("registered")).findFirst().orElseThrow().reg();
  }

  /** The latest registration strictly before {@code t}, or null. */
  private static Reg latestRegistrationBefore(List<Ev> evs, long t) {
    Reg r = null;
    for (Ev e : evs) {
      if (e.type().equals("registered") && e.time() < t) {
        r = e.reg();
      }
    }
    return r;
  }

  /** The first day of every period of the kind that holds a day with events. */
  private Set<LocalDate> periodStarts(String period) {
    Set<LocalDate> starts = new java.util.TreeSet<>();
    for (List<Ev> evs : byProject.values()) {
      for (Ev e : evs) {
        starts.add(periodStart(period, e.local().toLocalDate()));
      }
    }
    return starts;
  }

  /** CONTRACT §2: the first day of the period of {@code kind} that holds {@code d}. */
  static LocalDate periodStart(String kind, LocalDate d) {
    return switch (kind) {
      case "week" -> d.minusDays(d.getDayOfWeek().getValue() - 1);
      case "half_month" -> d.withDayOfMonth(d.getDayOfMonth() <= 15 ? 1 : 16);
      case "month" -> d.withDayOfMonth(1);
      case "quarter" -> LocalDate.of(d.getYear(), (d.getMonthValue() - 1) / 3 * 3 + 1, 1);
      case "year" -> d.withDayOfYear(1);
      default -> throw new IllegalArgumentException("period kind '" + kind + "'");
    };
  }

  /** CONTRACT §2: the last day of the period of {@code kind} that starts on {@code start}. */
  public static LocalDate periodEnd(String kind, LocalDate start) {
    return switch (kind) {
      case "week" -> start.plusDays(6);
      case "half_month" ->
          start.getDayOfMonth() == 1
              ? start.withDayOfMonth(15)
              : start.withDayOfMonth(start.lengthOfMonth());
      case "month" -> start.plusMonths(1).minusDays(1);
      case "quarter" -> start.plusMonths(3).minusDays(1);
      case "year" -> start.plusYears(1).minusDays(1);
      default -> throw new IllegalArgumentException("period kind '" + kind + "'");
    };
  }

  private long startOf(LocalDate d) {
    return d.atStartOfDay(zone).toInstant().toEpochMilli();
  }

  // ---- alerts ----

  /** One expected alert version. */
  public record Step(
      String alertId,
      long version,
      String rule,
      String severity,
      String status,
      long openedAt,
      long resolvedAt,
      String county) {}

  /** Every alert version the rules produce, per project in rule order of time. */
  public List<Step> alerts() {
    List<Step> steps = new ArrayList<>();
    for (Map.Entry<String, List<Ev>> p : byProject.entrySet()) {
      steps.addAll(startOverdue(p.getKey(), p.getValue()));
      steps.addAll(noReport(p.getKey(), p.getValue()));
      steps.addAll(behindPlan(p.getKey(), p.getValue()));
    }
    return steps;
  }

  private long registeredAt(List<Ev> evs) {
    return evs.stream().filter(e -> e.type().equals("registered")).findFirst().orElseThrow().time();
  }

  private long firstMilestone(List<Ev> evs, String m) {
    return evs.stream()
        .filter(e -> m.equals(e.milestone()))
        .mapToLong(Ev::time)
        .min()
        .orElse(Long.MAX_VALUE);
  }

  private List<Step> startOverdue(String id, List<Ev> evs) {
    long registered = registeredAt(evs);
    Reg reg = attributesAt(evs, registered);
    long deadline = Math.max(startOf(reg.plannedStart().plusDays(7)), registered);
    long started = firstMilestone(evs, "construction_started");
    long completed = firstMilestone(evs, "completed");
    if (started <= deadline || completed <= deadline || deadline > inputEnd) {
      return List.of();
    }
    return openAndMaybeResolve(
        id, evs, "start_overdue", "warning", deadline, Math.min(started, completed));
  }

  private List<Step> noReport(String id, List<Ev> evs) {
    long registered = registeredAt(evs);
    long completed = firstMilestone(evs, "completed");
    List<Long> reports =
        evs.stream().filter(Ev::isReport).map(Ev::time).sorted().collect(Collectors.toList());
    long last =
        reports.stream().filter(t -> t <= registered).reduce((a, b) -> b).orElse(registered);
    long deadline = Math.max(last + 14 * DAY, registered);
    List<Step> steps = new ArrayList<>();
    for (long t : reports) {
      if (t <= registered) {
        continue;
      }
      if (t > deadline && deadline <= inputEnd) {
        steps.addAll(openAndMaybeResolve(id, evs, "no_report", "warning", deadline, t));
      }
      if (t >= completed) {
        return steps;
      }
      deadline = t + 14 * DAY;
    }
    if (deadline <= inputEnd && deadline < completed) {
      steps.addAll(openAndMaybeResolve(id, evs, "no_report", "warning", deadline, Long.MAX_VALUE));
    }
    return steps;
  }

  private List<Step> behindPlan(String id, List<Ev> evs) {
    long registered = registeredAt(evs);
    long completed = firstMilestone(evs, "completed");
    List<Step> steps = new ArrayList<>();
    Step open = null;
    for (LocalDate day : checkDays()) {
      long d = startOf(day);
      if (d < registered || d > inputEnd || d >= completed) {
        continue;
      }
      Reg reg = attributesAt(evs, d);
      LocalDate s = max(reg.plannedStart(), LocalDate.of(day.getYear(), 1, 1));
      LocalDate e = min(reg.plannedCompletion(), LocalDate.of(day.getYear(), 12, 31));
      long span = ChronoUnit.DAYS.between(s, e) + 1;
      long elapsed = span <= 0 ? 0 : Math.max(0, Math.min(span, ChronoUnit.DAYS.between(s, day)));
      long jan1 = startOf(LocalDate.of(day.getYear(), 1, 1));
      long ytd =
          evs.stream()
              .filter(x -> x.type().equals("investment") && x.time() >= jan1 && x.time() <= d)
              .mapToLong(Ev::amountCents)
              .sum();
      // ytd / (planned * elapsed / span) < pct / 100, in whole numbers
      BigInteger lhs =
          BigInteger.valueOf(ytd).multiply(BigInteger.valueOf(Math.max(1, span) * 100));
      BigInteger planned = BigInteger.valueOf(reg.plannedYearCents() * elapsed);
      boolean below80 = lhs.compareTo(planned.multiply(BigInteger.valueOf(80))) < 0;
      String severity =
          lhs.compareTo(planned.multiply(BigInteger.valueOf(50))) < 0 ? "critical" : "warning";
      if (open == null) {
        if (below80 && reg.plannedYearCents() > 0 && elapsed > 0) {
          open = step(id, evs, "behind_plan", 1, severity, "open", d, 0, d);
          steps.add(open);
        }
      } else if (!below80) {
        steps.add(
            step(
                id,
                evs,
                "behind_plan",
                open.version() + 1,
                open.severity(),
                "resolved",
                open.openedAt(),
                d,
                d));
        open = null;
      } else if (!severity.equals(open.severity())) {
        open =
            step(
                id,
                evs,
                "behind_plan",
                open.version() + 1,
                severity,
                "open",
                open.openedAt(),
                0,
                d);
        steps.add(open);
      }
    }
    if (open != null && completed <= inputEnd) {
      steps.add(
          step(
              id,
              evs,
              "behind_plan",
              open.version() + 1,
              open.severity(),
              "resolved",
              open.openedAt(),
              completed,
              completed));
    }
    return steps;
  }

  private List<Step> openAndMaybeResolve(
      String id, List<Ev> evs, String rule, String severity, long openedAt, long resolvedAt) {
    List<Step> steps = new ArrayList<>();
    steps.add(step(id, evs, rule, 1, severity, "open", openedAt, 0, openedAt));
    if (resolvedAt <= inputEnd) {
      steps.add(step(id, evs, rule, 2, severity, "resolved", openedAt, resolvedAt, resolvedAt));
    }
    return steps;
  }

  private Step step(
      String id,
      List<Ev> evs,
      String rule,
      long version,
      String severity,
      String status,
      long openedAt,
      long resolvedAt,
      long at) {
    LocalDate opened = java.time.Instant.ofEpochMilli(openedAt).atZone(zone).toLocalDate();
    return new Step(
        id + ":" + rule + ":" + opened,
        version,
        rule,
        severity,
        status,
        openedAt,
        resolvedAt,
        attributesAt(evs, at).county());
  }

  private static List<LocalDate> checkDays() {
    List<LocalDate> days = new ArrayList<>();
    for (int m = 1; m <= 12; m++) {
      days.add(LocalDate.of(ProjectYear.YEAR, m, 1));
      days.add(LocalDate.of(ProjectYear.YEAR, m, 16));
    }
    days.add(LocalDate.of(ProjectYear.YEAR + 1, 1, 1));
    return days;
  }

  private static LocalDate max(LocalDate a, LocalDate b) {
    return a.isAfter(b) ? a : b;
  }

  private static LocalDate min(LocalDate a, LocalDate b) {
    return a.isBefore(b) ? a : b;
  }
}
