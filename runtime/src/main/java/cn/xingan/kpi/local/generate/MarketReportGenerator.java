package cn.xingan.kpi.local.generate;

import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Realistic `market-stall-counts` reports (CONTRACT.md §1) for the quickstart, tests and demos.
 * Each market reports the stalls of each session when the session is in full swing: night markets
 * in the evening, morning markets at dawn, morning-and-evening markets at both, farmers' and
 * gig-work markets during the day. Occupancy follows the market, the weekday and the season, with a
 * little noise; gig-work markets also report their registered workers (growing slowly) and the jobs
 * matched since their previous report (not in the first report of the day).
 *
 * <p>Out of operation: {@value #UPGRADED_MARKETS} of the morning/evening markets (chosen by the
 * seed) are upgraded for 3 to 7 weeks in every {@value #CYCLE_WEEKS}-week cycle, and night markets
 * close for the winter (December to February). A market out of operation reports once a day, at its
 * first session time, with its status and no stalls.
 *
 * <p>The stream is a pure function of (seed, zone, catalog): each market-day draws from its own
 * random generator, so any window can be generated alone and consecutive windows {@code [a, b)},
 * {@code [b, c)} give exactly the reports of {@code [a, c)}. Record key: `market_id`; `event_id` is
 * {@code ms-<seed tag>-<local date>-<market_id>-<session>}, the same for the same seed and time.
 */
public final class MarketReportGenerator {

  /** The Kafka topic and the backfill `stream` value. */
  public static final String STREAM = "market-stall-counts";

  /** How many morning/evening markets have upgrades (DOMAIN.md: 17 being upgraded). */
  public static final int UPGRADED_MARKETS = 17;

  /** The upgrade cycle: every market with upgrades is out once per cycle, for 3-7 weeks. */
  public static final int CYCLE_WEEKS = 16;

  /** The day the catalog's worker numbers hold; they grow 0.04% a day (about 15% a year). */
  static final LocalDate WORKERS_AT = LocalDate.of(2026, 6, 30);

  private static final double WORKER_GROWTH_PER_DAY = 0.0004;
  private static final long FIRST_MONDAY_EPOCH_DAY = LocalDate.of(1970, 1, 5).toEpochDay();

  private final long seed;
  private final ZoneId zone;
  private final ZoneRules rules;
  private final List<MarketSite> markets;
  private final boolean[] upgrades;
  private final double[] level;
  private final String idPrefix;
  private final StringBuilder json = new StringBuilder(384);

  /** A generator over the League's markets ({@link MarketCatalog#standard()}). */
  public MarketReportGenerator(long seed, ZoneId zone) {
    this(seed, zone, MarketCatalog.standard());
  }

  public MarketReportGenerator(long seed, ZoneId zone, List<MarketSite> markets) {
    if (zone == null || markets == null || markets.isEmpty()) {
      throw new IllegalArgumentException("zone and a non-empty list of markets are required");
    }
    this.seed = seed;
    this.zone = zone;
    this.rules = zone.getRules();
    this.markets = List.copyOf(markets);
    this.upgrades = chooseUpgrades(seed, this.markets);
    this.level = new double[this.markets.size()];
    for (int i = 0; i < level.length; i++) {
      level[i] = 0.70 + 0.22 * unit(TransactionModel.mix(seed, 2_000 + i));
    }
    this.idPrefix =
        String.format(Locale.ROOT, "ms-%06x-", TransactionModel.mix(seed, 1) & 0xFFFFFF);
  }

  public List<MarketSite> markets() {
    return markets;
  }

  /** Whether market {@code index} of {@link #markets()} is upgraded now and then. */
  public boolean upgrades(int index) {
    return upgrades[index];
  }

  /** The status market {@code index} reports on local day {@code day}. */
  public String statusOn(int index, LocalDate day) {
    MarketSite m = markets.get(index);
    int month = day.getMonthValue();
    if (m.type().equals("night") && (month == 12 || month <= 2)) {
      return "closed";
    }
    return upgrades[index] && inUpgrade(index, day) ? "upgrading" : "operating";
  }

  /** Every report with event time in [{@code from}, {@code to}), by event time. */
  public List<GeneratedEvent> between(Instant from, Instant to) {
    List<GeneratedEvent> out = new ArrayList<>();
    forEachBetween(from, to, out::add);
    return out;
  }

  /** The same reports as {@link #between}, handed over day by day. */
  public void forEachBetween(Instant from, Instant to, Consumer<GeneratedEvent> sink) {
    if (from == null || to == null || to.isBefore(from)) {
      throw new IllegalArgumentException(
          "window ["
              + from
              + ", "
              + to
              + ") must have both ends and end no earlier than it starts");
    }
    LocalDate last = to.atZone(zone).toLocalDate();
    for (LocalDate d = from.atZone(zone).toLocalDate(); !d.isAfter(last); d = d.plusDays(1)) {
      for (Report r : day(d)) {
        Instant t = Instant.ofEpochSecond(r.at());
        if (!t.isBefore(from) && t.isBefore(to)) {
          sink.accept(event(r));
        }
      }
    }
  }

  /** One report before it is written: market, session, time and figures. */
  private record Report(
      long at,
      int market,
      int session,
      LocalDate day,
      String status,
      int total,
      int occupied,
      int workers,
      int jobs) {
    static final Comparator<Report> ORDER =
        Comparator.comparingLong(Report::at)
            .thenComparingInt(Report::market)
            .thenComparingInt(Report::session);
  }

  private List<Report> day(LocalDate d) {
    List<Report> out = new ArrayList<>();
    for (int i = 0; i < markets.size(); i++) {
      MarketSite m = markets.get(i);
      SplittableRandom rng = new SplittableRandom(TransactionModel.mix(seed + i, d.toEpochDay()));
      int[] minutes = sessionMinutes(m.type());
      double[] shape = sessionShape(m.type());
      String status = statusOn(i, d);
      int sessions = status.equals("operating") ? minutes.length : 1;
      for (int s = 0; s < sessions; s++) {
        long at =
            d.atTime(0, 0).plusMinutes(minutes[s] + rng.nextInt(15)).atZone(zone).toEpochSecond();
        if (!status.equals("operating")) {
          out.add(new Report(at, i, s, d, status, 0, 0, m.isGig() ? workers(m, d) : -1, -1));
          continue;
        }
        double share =
            level[i] * seasonal(m.type(), d) * shape[s] + (rng.nextDouble() - 0.5) * 0.08;
        int occupied = (int) Math.round(m.stalls() * Math.max(0, Math.min(1, share)));
        int workers = -1;
        int jobs = -1;
        if (m.isGig()) {
          workers = workers(m, d);
          if (s > 0) {
            jobs =
                (int)
                    Math.round(
                        workers
                            * 0.012
                            * shape[s]
                            * seasonal("gig", d)
                            * (0.6 + 0.8 * rng.nextDouble()));
          }
        }
        out.add(new Report(at, i, s, d, status, m.stalls(), occupied, workers, jobs));
      }
    }
    out.sort(Report.ORDER);
    return out;
  }

  private GeneratedEvent event(Report r) {
    MarketSite m = markets.get(r.market());
    StringBuilder b = json;
    b.setLength(0);
    b.append("{\"event_id\":\"").append(idPrefix);
    JsonText.pad4(b, r.day().getYear());
    JsonText.pad2(b, r.day().getMonthValue());
    JsonText.pad2(b, r.day().getDayOfMonth()).append('-').append(m.id()).append('-');
    b.append(r.session());
    JsonText.appendTime(b.append("\",\"event_time\":\""), r.at(), rules).append('"');
    JsonText.appendQuoted(b.append(",\"market_id\":"), m.id());
    JsonText.appendQuoted(b.append(",\"market_name\":"), m.marketName());
    JsonText.appendQuoted(b.append(",\"county\":"), m.county());
    JsonText.appendQuoted(b.append(",\"market_type\":"), m.type());
    JsonText.appendQuoted(b.append(",\"status\":"), r.status());
    b.append(",\"stalls_total\":").append(r.total());
    b.append(",\"stalls_occupied\":").append(r.occupied());
    if (r.workers() >= 0) {
      b.append(",\"workers_registered\":").append(r.workers());
    }
    if (r.jobs() >= 0) {
      b.append(",\"jobs_matched\":").append(r.jobs());
    }
    b.append('}');
    return new GeneratedEvent(
        m.id(), b.toString().getBytes(StandardCharsets.UTF_8), Instant.ofEpochSecond(r.at()));
  }

  /** Local minute of day of each session's count, by market type (before 0-14 minutes' jitter). */
  private static int[] sessionMinutes(String type) {
    return switch (type) {
      case "night" -> new int[] {19 * 60 + 30, 21 * 60};
      case "morning" -> new int[] {5 * 60 + 45, 7 * 60};
      case "morning_evening" -> new int[] {6 * 60 + 30, 18 * 60 + 30};
      case "farmers" -> new int[] {9 * 60, 16 * 60};
      default -> new int[] {8 * 60, 12 * 60, 16 * 60 + 30}; // gig
    };
  }

  /** How full each session is relative to the market's usual level. */
  private static double[] sessionShape(String type) {
    return switch (type) {
      case "night" -> new double[] {0.85, 1.0};
      case "morning" -> new double[] {1.0, 0.9};
      case "morning_evening" -> new double[] {0.95, 0.9};
      case "farmers" -> new double[] {1.0, 0.8};
      default -> new double[] {0.6, 1.0, 0.8}; // gig
    };
  }

  /** Weekends are busier at markets and quieter at gig-work markets; summer is best outdoors. */
  private static double seasonal(String type, LocalDate d) {
    boolean weekend =
        d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
    int month = d.getMonthValue();
    double f = type.equals("gig") ? (weekend ? 0.8 : 1.0) : (weekend ? 1.07 : 1.0);
    if (type.equals("night")) {
      f *= month >= 6 && month <= 8 ? 1.05 : 0.94;
    } else if (!type.equals("gig")) {
      f *= month == 12 || month <= 2 ? 0.88 : month >= 6 && month <= 9 ? 1.03 : 1.0;
    }
    return f;
  }

  private static int workers(MarketSite m, LocalDate d) {
    long days = d.toEpochDay() - WORKERS_AT.toEpochDay();
    long grown = m.workers() + (long) Math.floor(m.workers() * WORKER_GROWTH_PER_DAY * days);
    return (int) Math.max(m.workers() / 2, Math.min(grown, 10L * m.workers()));
  }

  private boolean inUpgrade(int index, LocalDate day) {
    long week = Math.floorDiv(day.toEpochDay() - FIRST_MONDAY_EPOCH_DAY, 7);
    long cycle = Math.floorDiv(week, CYCLE_WEEKS);
    long weekInCycle = week - cycle * CYCLE_WEEKS;
    long h = TransactionModel.mix(TransactionModel.mix(seed, 1_000 + index), cycle);
    long start = Math.floorMod(h, 8); // weeks 0-7 of the cycle
    long length = 3 + Math.floorMod(h >>> 20, 5); // 3-7 weeks
    return weekInCycle >= start && weekInCycle < start + length;
  }

  private static boolean[] chooseUpgrades(long seed, List<MarketSite> markets) {
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < markets.size(); i++) {
      if (!markets.get(i).isGig()) {
        candidates.add(i);
      }
    }
    SplittableRandom rng = new SplittableRandom(TransactionModel.mix(seed, 3));
    for (int i = candidates.size() - 1; i > 0; i--) { // Fisher-Yates
      int j = rng.nextInt(i + 1);
      candidates.set(i, candidates.set(j, candidates.get(i)));
    }
    boolean[] chosen = new boolean[markets.size()];
    for (int k = 0; k < Math.min(UPGRADED_MARKETS, candidates.size()); k++) {
      chosen[candidates.get(k)] = true;
    }
    return chosen;
  }

  private static double unit(long bits) {
    return (bits >>> 11) * 0x1.0p-53;
  }
}
