package cn.xingan.kpi.local.generate;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One generated major project: its registration (area, chain, list, plans, dates) and how it
 * behaves through the year. The portfolio's plans are scaled to the document's figures: 27.2
 * billion yuan planned for the year, 138.24 billion in total.
 *
 * @param profile how the project behaves (what the alerts are for)
 * @param actualStart the day construction really starts (late for {@link Profile#LATE_START})
 * @param silentFrom first day without reports ({@link Profile#SILENT}; otherwise never)
 * @param silentUntil first day with reports again (may be after the year: silent for good)
 * @param investmentShare the share of the plan the project invests (below 0.8 when behind)
 * @param progressPace how fast physical progress goes compared to the plan
 */
public record ProjectPlan(
    long seed,
    int year,
    String projectId,
    String eventIdPrefix,
    String name,
    String county,
    IndustryChain chain,
    String list,
    long plannedTotalCents,
    long plannedYearCents,
    LocalDate plannedStart,
    LocalDate plannedCompletion,
    LocalDateTime registeredAt,
    Profile profile,
    LocalDate actualStart,
    LocalDate silentFrom,
    LocalDate silentUntil,
    double investmentShare,
    double progressPace,
    boolean reRegisters) {

  /** How a project behaves; the shares of the portfolio are in {@link #portfolio}. */
  public enum Profile {
    ON_TRACK,
    LATE_START,
    SILENT,
    BEHIND
  }

  /** 27.2 billion yuan (272亿元), in fen. */
  public static final long PLANNED_YEAR_TOTAL_CENTS = 2_720_000_000_000L;

  /** 138.24 billion yuan (1382.4亿元), in fen. */
  public static final long PLANNED_TOTAL_CENTS = 13_824_000_000_000L;

  public boolean completes() {
    return plannedCompletion.getYear() == year;
  }

  public boolean isSilentOn(LocalDate day) {
    return silentFrom != null && !day.isBefore(silentFrom) && day.isBefore(silentUntil);
  }

  /**
   * The year's portfolio: {@code n} projects, each from its own random stream of {@code seed}.
   * Areas follow the activity weights of {@link County}; plans are log-normal (a few very large
   * projects such as a 2×660 MW power plant, many small ones), then scaled to the totals.
   */
  static List<ProjectPlan> portfolio(long seed, int year, int n) {
    double[] weight = new double[n];
    double[] ratio = new double[n];
    double weights = 0;
    List<Random> randoms = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Random r = new Random(seed * 1_000_003L + i);
      randoms.add(r);
      weight[i] = Math.exp(r.nextGaussian() * 0.9);
      weights += weight[i];
    }
    long[] plannedYear = new long[n];
    double totals = 0;
    for (int i = 0; i < n; i++) {
      // whole 10 000 yuan (万元), as plans are written
      plannedYear[i] =
          Math.round(PLANNED_YEAR_TOTAL_CENTS * weight[i] / weights / 1e6) * 1_000_000L;
      ratio[i] = i % 4 == 0 ? 1.0 + randoms.get(i).nextDouble() * 0.5 : 0; // completes this year
      totals += i % 4 == 0 ? plannedYear[i] * ratio[i] : 0;
    }
    // the projects that go on after this year carry the rest of the total investment
    double rest = PLANNED_TOTAL_CENTS - totals;
    double later = 0;
    for (int i = 0; i < n; i++) {
      if (i % 4 != 0) {
        ratio[i] = 3 + randoms.get(i).nextDouble() * 5;
        later += plannedYear[i] * ratio[i];
      }
    }
    List<ProjectPlan> plans = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double r = i % 4 == 0 ? ratio[i] : ratio[i] * rest / later;
      long total = Math.round(plannedYear[i] * r / 1e6) * 1_000_000L;
      plans.add(
          plan(seed, year, i, randoms.get(i), plannedYear[i], Math.max(total, plannedYear[i])));
    }
    return plans;
  }

  private static ProjectPlan plan(
      long seed, int year, int i, Random r, long plannedYear, long plannedTotal) {
    County county = weighted(r);
    IndustryChain chain = IndustryChain.ALL.get(i % IndustryChain.ALL.size());
    int l = r.nextInt(10);
    String list = l < 5 ? "key" : l < 8 ? "highlight" : "difficult";
    LocalDateTime registered =
        workingDay(LocalDate.of(year, 1, 3).plusDays(r.nextInt(50)))
            .atTime(9 + r.nextInt(8), r.nextInt(60));
    // "four seasons action": most construction starts in spring
    LocalDate plannedStart = registered.toLocalDate().plusDays(14 + r.nextInt(100));
    LocalDate completion =
        i % 4 == 0
            ? LocalDate.of(year, 9, 1).plusDays(r.nextInt(120))
            : LocalDate.of(year + 1 + r.nextInt(3), 6, 30);
    int p = r.nextInt(100);
    Profile profile =
        p < 6
            ? Profile.LATE_START
            : p < 11 ? Profile.SILENT : p < 19 ? Profile.BEHIND : Profile.ON_TRACK;
    LocalDate actualStart =
        profile == Profile.LATE_START
            ? plannedStart.plusDays(10 + r.nextInt(45))
            : plannedStart.plusDays(r.nextInt(6));
    LocalDate silentFrom = null;
    LocalDate silentUntil = null;
    if (profile == Profile.SILENT) {
      silentFrom = LocalDate.of(year, 4, 1).plusDays(r.nextInt(180));
      silentUntil = silentFrom.plusDays(r.nextInt(3) == 0 ? 400 : 21 + r.nextInt(50));
    }
    double share =
        profile == Profile.BEHIND ? 0.3 + r.nextDouble() * 0.4 : 1.0 + r.nextDouble() * 0.2;
    double pace = profile == Profile.BEHIND ? 0.6 : 0.9 + r.nextDouble() * 0.25;
    String id = String.format("XA-%d-%03d", year, i + 1);
    String name =
        county.nameZh() + chain.projectZh() + "项目 " + county.nameEn() + " " + chain.projectEn();
    return new ProjectPlan(
        seed,
        year,
        id,
        Long.toString(seed & 0xffffff, 36) + "-" + id,
        name,
        county.code(),
        chain,
        list,
        plannedTotal,
        plannedYear,
        plannedStart,
        completion,
        registered,
        profile,
        actualStart,
        silentFrom,
        silentUntil,
        share,
        pace,
        r.nextInt(30) == 0);
  }

  private static County weighted(Random r) {
    double total = County.ALL.stream().mapToDouble(County::weight).sum();
    double x = r.nextDouble() * total;
    for (County c : County.ALL) {
      x -= c.weight();
      if (x < 0) {
        return c;
      }
    }
    return County.ALL.get(County.ALL.size() - 1);
  }

  private static LocalDate workingDay(LocalDate d) {
    while (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY) {
      d = d.plusDays(1);
    }
    return d;
  }
}
