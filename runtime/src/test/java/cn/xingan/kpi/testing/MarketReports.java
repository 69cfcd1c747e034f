// Two months of market reports and the independent kpi_market oracle, shared by the market
// acceptance test (MarketKpiITCase) and the fault tests (MarketScenario): the reports exercise
// every status, gig figures absent or null, ties and over-full reports; the oracle writes CONTRACT
// §2 and §3 out again without the job's code.
package cn.xingan.kpi.testing;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** May and June 2026 of market-stall-counts reports, and what kpi_market must hold for them. */
final class MarketReports {
  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  static final LocalDate FIRST_DAY = LocalDate.of(2026, 5, 1);
  static final LocalDate LAST_DAY = LocalDate.of(2026, 6, 30);

  private MarketReports() {}

  // ---- the reports ----

  /** One market of the test, with its sessions (local report times) and stall count. */
  record Market(
      String id, String name, String county, String type, int stalls, List<LocalTime> sessions) {
    boolean isGig() {
      return type.equals("gig");
    }
  }

  /**
   * One report as produced. {@code valid} is false for reports the contract rejects; {@code utc}
   * writes the time with {@code Z} instead of {@code +08:00} (a morning report is then on the
   * previous UTC day); {@code extra} is raw JSON appended to the object.
   */
  record Report(
      String eventId,
      Instant time,
      Market market,
      String status,
      int total,
      int occupied,
      Integer workers,
      Integer jobs,
      boolean utc,
      String extra,
      boolean valid) {

    String json() {
      String t =
          utc
              ? DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time.atOffset(ZoneOffset.UTC))
              : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time.atZone(SHANGHAI));
      StringBuilder b = new StringBuilder("{");
      b.append("\"event_id\":\"").append(eventId).append("\",\"event_time\":\"").append(t);
      b.append("\",\"market_id\":\"").append(market.id());
      b.append("\",\"market_name\":\"").append(market.name());
      b.append("\",\"county\":\"").append(market.county());
      b.append("\",\"market_type\":\"").append(market.type());
      b.append("\",\"status\":\"").append(status);
      b.append("\",\"stalls_total\":").append(total);
      b.append(",\"stalls_occupied\":").append(occupied);
      if (market.isGig()) {
        b.append(",\"workers_registered\":").append(workers);
        b.append(",\"jobs_matched\":").append(jobs);
      }
      return b.append(extra).append('}').toString();
    }

    LocalDate localDate() {
      return time.atZone(SHANGHAI).toLocalDate();
    }

    /** workers_registered as the KPI counts it: gig markets only, absent (or null) = 0. */
    long countedWorkers() {
      return market.isGig() && workers != null ? workers : 0;
    }

    long countedJobs() {
      return market.isGig() && jobs != null ? jobs : 0;
    }
  }

  static List<Market> markets() {
    List<LocalTime> night = List.of(LocalTime.of(19, 30), LocalTime.of(21, 0));
    List<LocalTime> morning = List.of(LocalTime.of(6, 0), LocalTime.of(7, 30));
    List<LocalTime> both = List.of(LocalTime.of(6, 30), LocalTime.of(18, 30));
    List<LocalTime> day = List.of(LocalTime.of(9, 30), LocalTime.of(15, 30));
    List<LocalTime> gig = List.of(LocalTime.of(8, 0), LocalTime.of(12, 0), LocalTime.of(16, 30));
    return List.of(
        new Market("ulanhot-tuanjie-night", "团结夜市", "ulanhot", "night", 320, night),
        new Market("jalaid-yindeer-morning", "音德尔镇早市", "jalaid", "morning", 300, morning),
        new Market("tuquan-chunzhou-night", "春州夜市", "tuquan", "night", 240, night),
        new Market(
            "tushiyetu-farmers",
            "图什业图农贸市场早晚市",
            "horqin-right-middle",
            "morning_evening",
            260,
            both),
        new Market("ulanhot-shengli-farmers", "胜利农贸市场", "ulanhot", "farmers", 300, day),
        new Market("ulanhot-gig-1", "乌兰浩特零工市场", "ulanhot", "gig", 40, gig),
        new Market(
            "arxan-gig-1",
            "阿尔山零工市场",
            "arxan",
            "gig",
            20,
            List.of(LocalTime.of(9, 0), LocalTime.of(15, 0))),
        new Market("jalaid-gig-1", "扎赉特零工驿站", "jalaid", "gig", 16, gig),
        new Market("dev-zone-night", "开发区夜市", "dev-zone", "night", 160, night));
  }

  /**
   * Two months (May and June 2026) of reports. Tuanjie night market is upgraded from 18 May to 7
   * June (one upgrading report a day); Chunzhou night market closes on 20 June for good (one closed
   * report a day); the Jalaid gig market opens on 20 May; the development zone's night market opens
   * Friday to Sunday only. Gig figures are sometimes absent or null; two reports share an instant
   * with different statuses; three reports have more stalls occupied than exist.
   */
  static List<Report> generate() {
    Random random = new Random(20260501);
    List<Report> out = new ArrayList<>();
    Map<String, Integer> workers = new HashMap<>();
    for (LocalDate d = FIRST_DAY; !d.isAfter(LAST_DAY); d = d.plusDays(1)) {
      for (Market m : markets()) {
        boolean upgrading =
            m.id().equals("ulanhot-tuanjie-night")
                && !d.isBefore(LocalDate.of(2026, 5, 18))
                && !d.isAfter(LocalDate.of(2026, 6, 7));
        boolean closed =
            m.id().equals("tuquan-chunzhou-night") && !d.isBefore(LocalDate.of(2026, 6, 20));
        if (m.id().equals("jalaid-gig-1") && d.isBefore(LocalDate.of(2026, 5, 20))) {
          continue;
        }
        if (m.id().equals("dev-zone-night") && d.getDayOfWeek().getValue() < 5) {
          continue;
        }
        List<LocalTime> sessions = upgrading || closed ? m.sessions().subList(0, 1) : m.sessions();
        for (int s = 0; s < sessions.size(); s++) {
          Instant t = d.atTime(sessions.get(s)).atZone(SHANGHAI).toInstant();
          String id = "ms-" + m.id() + "-" + d + "-" + s;
          boolean utc = m.type().equals("morning") || (m.isGig() && s == 0);
          if (upgrading || closed) {
            out.add(
                new Report(
                    id, t, m, upgrading ? "upgrading" : "closed", 0, 0, null, null, utc, "", true));
            continue;
          }
          int occupied = m.stalls() / 2 + random.nextInt(m.stalls() / 2 + 1);
          Integer w = null;
          Integer j = null;
          if (m.isGig()) {
            int now = workers.merge(m.id(), random.nextInt(3), Integer::sum) + 100;
            w = random.nextInt(5) == 0 ? null : now; // sometimes not reported
            j = random.nextInt(4) == 0 ? null : random.nextInt(12);
          }
          String extra = "";
          if (m.id().equals("jalaid-yindeer-morning") && s == 1) {
            // Gig figures on a morning market mean nothing: accepted, not counted.
            extra = ",\"workers_registered\":99,\"jobs_matched\":7";
          }
          out.add(new Report(id, t, m, "operating", m.stalls(), occupied, w, j, utc, extra, true));
        }
      }
    }
    Market shengli = markets().get(4);
    Instant endOfMay = LocalDate.of(2026, 5, 31).atTime(20, 0).atZone(SHANGHAI).toInstant();
    // Two reports at the same instant: the greater event_id is the latest (here: closed).
    out.add(
        new Report(
            "ms-tie-a", endOfMay, shengli, "operating", 300, 120, null, null, false, "", true));
    out.add(new Report("ms-tie-b", endOfMay, shengli, "closed", 0, 0, null, null, false, "", true));
    // More stalls occupied than there are: rejected, never counted.
    Market tuanjie = markets().get(0);
    Instant bad = LocalDate.of(2026, 6, 12).atTime(21, 30).atZone(SHANGHAI).toInstant();
    out.add(
        new Report("ms-bad-1", bad, tuanjie, "operating", 320, 321, null, null, false, "", false));
    out.add(new Report("ms-bad-2", bad, shengli, "operating", 0, 1, null, null, true, "", false));
    out.add(
        new Report(
            "ms-bad-3", bad, markets().get(5), "operating", 40, 41, 120, 3, false, "", false));
    return out;
  }

  // ---- the oracle: CONTRACT.md §2 and §3 written out again, independently of the job ----

  record Key(String period, LocalDate start, String scope, String scopeKey)
      implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      return Comparator.comparing(Key::period)
          .thenComparing(Key::scope)
          .thenComparing(Key::scopeKey)
          .thenComparing(Key::start)
          .compare(this, o);
    }
  }

  /** Every column of kpi_market after the key, except updated_at. */
  record Row(
      LocalDate end,
      long marketsReporting,
      long observations,
      long stallsOccupiedSum,
      long stallsTotalSum,
      long stallsOccupiedPeak,
      long marketsOperating,
      long marketsUpgrading,
      long marketsClosed,
      long workersRegisteredLatest,
      long jobsMatched,
      long events,
      long isFinal,
      long version) {}

  /** [first, last] day of the period of {@code kind} that holds {@code d}. */
  static LocalDate[] period(String kind, LocalDate d) {
    return switch (kind) {
      case "week" -> {
        LocalDate monday = d.minusDays(d.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue());
        yield new LocalDate[] {monday, monday.plusDays(6)};
      }
      case "half_month" ->
          d.getDayOfMonth() <= 15
              ? new LocalDate[] {d.withDayOfMonth(1), d.withDayOfMonth(15)}
              : new LocalDate[] {d.withDayOfMonth(16), d.withDayOfMonth(d.lengthOfMonth())};
      case "month" -> new LocalDate[] {d.withDayOfMonth(1), d.withDayOfMonth(d.lengthOfMonth())};
      case "quarter" -> {
        LocalDate first = LocalDate.of(d.getYear(), (d.getMonthValue() - 1) / 3 * 3 + 1, 1);
        yield new LocalDate[] {first, first.plusMonths(3).minusDays(1)};
      }
      case "year" -> new LocalDate[] {d.withDayOfYear(1), LocalDate.of(d.getYear(), 12, 31)};
      default -> throw new IllegalArgumentException(kind);
    };
  }

  static Map<Key, Row> expected(List<Report> all) {
    Map<Key, List<Report>> groups = new HashMap<>();
    Map<Key, LocalDate> ends = new HashMap<>();
    for (Report r : all) {
      if (!r.valid()) {
        continue;
      }
      Map<String, String> scopes = new LinkedHashMap<>();
      scopes.put("league", "");
      scopes.put("county", r.market().county());
      scopes.put("market_type", r.market().type());
      scopes.put("market", r.market().id());
      for (String kind : List.of("week", "half_month", "month", "quarter", "year")) {
        LocalDate[] p = period(kind, r.localDate());
        for (Map.Entry<String, String> scope : scopes.entrySet()) {
          Key key = new Key(kind, p[0], scope.getKey(), scope.getValue());
          groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
          ends.put(key, p[1]);
        }
      }
    }
    Comparator<Report> latestLast =
        Comparator.comparing(Report::time).thenComparing(Report::eventId);
    Map<Key, Row> rows = new TreeMap<>();
    groups.forEach(
        (key, reports) -> {
          Map<String, List<Report>> byMarket =
              reports.stream().collect(Collectors.groupingBy(r -> r.market().id()));
          long peak = 0;
          long workers = 0;
          Map<String, Long> status = new HashMap<>();
          for (List<Report> ofMarket : byMarket.values()) {
            peak += ofMarket.stream().mapToLong(Report::occupied).max().orElseThrow();
            Report latest = Collections.max(ofMarket, latestLast);
            status.merge(latest.status(), 1L, Long::sum);
            workers += latest.countedWorkers();
          }
          long n = reports.size();
          rows.put(
              key,
              new Row(
                  ends.get(key),
                  byMarket.size(),
                  n,
                  reports.stream().mapToLong(Report::occupied).sum(),
                  reports.stream().mapToLong(Report::total).sum(),
                  peak,
                  status.getOrDefault("operating", 0L),
                  status.getOrDefault("upgrading", 0L),
                  status.getOrDefault("closed", 0L),
                  workers,
                  reports.stream().mapToLong(Report::countedJobs).sum(),
                  n,
                  1,
                  2 * n + 1));
        });
    return rows;
  }

  /**
   * The arrival order of the acceptance test: by local day, shuffled within each day (out of order
   * by up to a day, never late).
   */
  static List<Report> sendingOrder(List<Report> reports, long seed) {
    Map<LocalDate, List<Report>> byDay = new TreeMap<>();
    for (Report r : reports) {
      byDay.computeIfAbsent(r.localDate(), d -> new ArrayList<>()).add(r);
    }
    Random random = new Random(seed);
    List<Report> order = new ArrayList<>();
    for (List<Report> day : byDay.values()) {
      Collections.shuffle(day, random);
      order.addAll(day);
    }
    return order;
  }
}
