package cn.xingan.kpi.testing.projects;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A year (2025, the last full year before the machine's clock, so no event is "future") of 20 major
 * projects as project-progress events, for the end-to-end test: every project registers, starts,
 * reports investment every ten days and progress monthly, and a few do what the rules and the KPIs
 * must get right:
 *
 * <ul>
 *   <li>P01 invests on the morning of the day it registers (in the evening);
 *   <li>P02 corrects an investment with a negative amount;
 *   <li>P03 re-registers in July in another county with a larger plan;
 *   <li>P04 goes through every milestone and completes in September, then corrects once more;
 *   <li>P05 starts six weeks late (start_overdue); P06 stops reporting from May to mid-August
 *       (no_report); P07 invests half of its plan or less (behind_plan, changing severity); P08
 *       never reports at all.
 * </ul>
 *
 * Deterministic per seed. Events are plain values here; {@link #json} writes them as the contract
 * says, independently of the job's classes.
 */
public final class ProjectYear {
  public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  public static final int YEAR = 2025;

  static final String[] COUNTIES = {
    "ulanhot",
    "arxan",
    "horqin-right-front",
    "horqin-right-middle",
    "jalaid",
    "tuquan",
    "dev-zone",
    "reclamation"
  };
  static final String[] CHAINS = {"corn", "rice", "dairy", "beef-cattle", "new-energy", "tourism"};
  static final String[] LISTS = {"key", "highlight", "difficult"};

  /** A registration's attributes. */
  public record Reg(
      String name,
      String county,
      String chain,
      String list,
      long plannedTotalCents,
      long plannedYearCents,
      LocalDate plannedStart,
      LocalDate plannedCompletion) {}

  /** One event; the fields of its type are set. */
  public record Ev(
      String eventId,
      LocalDateTime local,
      String projectId,
      String type,
      Reg reg,
      long amountCents,
      boolean correction,
      BigDecimal progressPct,
      String milestone) {
    public long time() {
      return local.atZone(ZONE).toInstant().toEpochMilli();
    }

    public boolean isReport() {
      return !type.equals("registered");
    }
  }

  private final List<Ev> events = new ArrayList<>();
  private final Random random;
  private int seq;

  private ProjectYear(long seed) {
    this.random = new Random(seed);
  }

  public static List<Ev> generate(long seed) {
    ProjectYear y = new ProjectYear(seed);
    for (int i = 1; i <= 20; i++) {
      y.project(i);
    }
    y.events.sort(Comparator.comparing(Ev::local).thenComparing(Ev::eventId));
    return y.events;
  }

  private void project(int i) {
    String id = String.format("P%02d", i);
    long plannedYear = (50_000_000L + random.nextInt(250_000_000)) * 100 + random.nextInt(100);
    LocalDate start = LocalDate.of(YEAR, 1, 15).plusDays(random.nextInt(90));
    LocalDate completion = i % 2 == 0 ? LocalDate.of(YEAR, 12, 31) : LocalDate.of(YEAR + 1, 6, 30);
    if (i == 5) {
      start = LocalDate.of(YEAR, 3, 1);
    }
    Reg reg =
        new Reg(
            "项目 " + id + " project",
            COUNTIES[i % COUNTIES.length],
            CHAINS[i % CHAINS.length],
            LISTS[i % LISTS.length],
            plannedYear * 3,
            plannedYear,
            start,
            completion);
    LocalDateTime registered =
        LocalDate.of(YEAR, 1, 2).plusDays(random.nextInt(10)).atTime(9 + random.nextInt(8), 0);
    if (i == 1) {
      add(id, registered.withHour(10), "investment", null, 12_345_678, false, null, null);
      registered = registered.withHour(18);
    }
    add(id, registered, "registered", reg, 0, false, null, null);
    if (i == 8) {
      return; // never reports
    }
    LocalDate started = i == 5 ? LocalDate.of(YEAR, 4, 10) : start.plusDays(random.nextInt(6));
    milestone(id, started.atTime(8, 30), "construction_started");
    Reg current = reg;
    long span = java.time.temporal.ChronoUnit.DAYS.between(start, LocalDate.of(YEAR, 12, 31)) + 1;
    double share = i == 7 ? 0.45 : 1.0;
    int step = 0;
    for (LocalDate d = started.plusDays(3);
        d.isBefore(LocalDate.of(YEAR, 12, 24));
        d = d.plusDays(10)) {
      step++;
      if (i == 6 && d.isAfter(LocalDate.of(YEAR, 5, 1)) && d.isBefore(LocalDate.of(YEAR, 8, 15))) {
        continue; // silent
      }
      if (i == 7 && d.isAfter(LocalDate.of(YEAR, 9, 1))) {
        share = 0.72;
      }
      if (i == 3 && d.isAfter(LocalDate.of(YEAR, 7, 10)) && current == reg) {
        current =
            new Reg(
                reg.name(),
                reg.county().equals("ulanhot") ? "jalaid" : "ulanhot",
                reg.chain(),
                reg.list(),
                reg.plannedTotalCents(),
                reg.plannedYearCents() / 10 * 12,
                reg.plannedStart(),
                reg.plannedCompletion());
        add(id, LocalDateTime.of(YEAR, 7, 10, 10, 0), "registered", current, 0, false, null, null);
      }
      double factor = share * (0.95 + random.nextDouble() * 0.3);
      long amount = Math.max(1, Math.round(current.plannedYearCents() * 10.0 / span * factor));
      add(
          id,
          d.atTime(9 + random.nextInt(8), random.nextInt(60)),
          "investment",
          null,
          amount,
          false,
          null,
          null);
      if (i == 2 && step == 10) {
        add(id, d.atTime(20, 0), "investment", null, -amount / 10, true, null, null);
      }
    }
    if (i == 6) {
      add(
          id,
          LocalDateTime.of(YEAR, 8, 15, 11, 0),
          "progress",
          null,
          0,
          false,
          new BigDecimal("30"),
          null);
    }
    for (int m = 2; m <= 12; m++) {
      LocalDate d = LocalDate.of(YEAR, m, 3 + random.nextInt(5));
      if (d.isBefore(started) || (i == 6 && m >= 5 && m <= 8)) {
        continue;
      }
      BigDecimal pct =
          BigDecimal.valueOf(Math.min(100, m * 8 + random.nextInt(4)))
              .add(random.nextBoolean() ? new BigDecimal("0.5") : BigDecimal.ZERO);
      add(id, d.atTime(17, 15), "progress", null, 0, false, pct.min(BigDecimal.valueOf(100)), null);
    }
    if (i % 3 == 0 || i == 4) {
      milestone(id, LocalDateTime.of(YEAR, 6, 20 + i % 5, 10, 0), "half_complete");
    }
    if (i == 4) {
      milestone(id, LocalDateTime.of(YEAR, 7, 18, 10, 0), "trial_run");
      milestone(id, LocalDateTime.of(YEAR, 8, 28, 10, 0), "in_production");
      milestone(id, LocalDateTime.of(YEAR, 9, 20, 15, 0), "completed");
      add(id, LocalDateTime.of(YEAR, 10, 9, 10, 0), "investment", null, -50_000, true, null, null);
    }
  }

  private void milestone(String id, LocalDateTime at, String m) {
    add(id, at, "milestone", null, 0, false, null, m);
  }

  private void add(
      String id,
      LocalDateTime at,
      String type,
      Reg reg,
      long amount,
      boolean correction,
      BigDecimal pct,
      String milestone) {
    events.add(
        new Ev(
            String.format("pp-%s-%04d", id, ++seq),
            at,
            id,
            type,
            reg,
            amount,
            correction,
            pct,
            milestone));
  }

  /** The event as a Kafka record value (or, with a stream, a backfill line). */
  public static String json(Ev e, String stream) {
    StringBuilder b = new StringBuilder("{");
    if (stream != null) {
      b.append("\"stream\":\"").append(stream).append("\",");
    }
    b.append("\"event_id\":\"").append(e.eventId()).append("\",");
    b.append("\"event_time\":\"")
        .append(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(e.local().atZone(ZONE)))
        .append("\",");
    b.append("\"project_id\":\"").append(e.projectId()).append("\",");
    b.append("\"type\":\"").append(e.type()).append("\"");
    switch (e.type()) {
      case "registered" -> {
        Reg r = e.reg();
        b.append(",\"project_name\":\"").append(r.name()).append("\"");
        b.append(",\"county\":\"").append(r.county()).append("\"");
        b.append(",\"chain\":\"").append(r.chain()).append("\"");
        b.append(",\"list\":\"").append(r.list()).append("\"");
        b.append(",\"planned_total_cny\":").append(yuan(r.plannedTotalCents()));
        b.append(",\"planned_year_cny\":").append(yuan(r.plannedYearCents()));
        b.append(",\"planned_start\":\"").append(r.plannedStart()).append("\"");
        b.append(",\"planned_completion\":\"").append(r.plannedCompletion()).append("\"");
      }
      case "investment" -> {
        b.append(",\"amount_cny\":").append(yuan(e.amountCents()));
        if (e.correction()) {
          b.append(",\"correction\":true");
        }
      }
      case "progress" -> b.append(",\"progress_pct\":").append(e.progressPct().toPlainString());
      default -> b.append(",\"milestone\":\"").append(e.milestone()).append("\"");
    }
    return b.append("}").toString();
  }

  static String yuan(long cents) {
    return BigDecimal.valueOf(cents, 2).toPlainString();
  }
}
