package cn.xingan.kpi.testing.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small data set for the views, the planners' queries and the dashboards, placed relative to
 * today's local date so that the "current period" views see it. Every figure the tests check is
 * worked out by hand in the comments of this class; nothing is computed by the code under test.
 *
 * <p>Dates (local, Asia/Shanghai): T = today; the current week, half month and month all contain T.
 * R = the latest half month that has ended (R ends the day before the current half month starts), Y
 * = the year of R, L = the same half month of Y - 1.
 *
 * <pre>
 * services, all on T (the current week and half month; nothing else falls there):
 *   S1 20/5 days  48 h on time online          0 visits rating 5  natural-resources ulanhot
 *   S2 20/5 days 144 h LATE    window          1 visit  rating 3  natural-resources ulanhot
 *   S3 180/16    24 h on time online          0 visits rating 4  natural-resources arxan
 *   S4 15/7     144 h on time one_stop_police 0 visits no rating public-security  ulanhot
 *   + one accepted and one rejected event
 *   => completed 4, on time 3/4 = 0.75, online 2/4 = 0.5, zero visits 3/4 = 0.75,
 *      satisfied 2/3, processing 360 h = 15 days => 3.75 days on average, max 6 days;
 *      statutory 235 days, promised 33 days => days saved 235 - 15 = 220 (55 per transaction),
 *      promised days saved (235 - 33) / 4 = 50.5, statutory time used 15 / 235.
 * services year on year (R against L): this year 2 completed (1 on time, 1 online), 1 accepted;
 *   last year 4 completed (3 on time, 2 online), 2 accepted
 *   => completed -50 %, accepted -50 %, on-time 0.5 vs 0.75 = -25 points, online 0.5 vs 0.5.
 * markets: T: tuanjie 96/120 and 84/120 (operating), yinde'er 40/80 (upgrading), a gig market
 *   0/0 (operating, 150 workers, 12 jobs); T-7: 100/120, 60/80; T-14: 60/120
 *   => week of T 220/320 = 0.6875 (ulanhot 180/240 = 0.75), week before 160/200 = 0.8,
 *      two weeks before 0.5; 3 markets reporting, 2 operating, 1 upgrading, peak 96+40+0 = 136.
 * projects: P1 dairy (ulanhot, chain dairy), P2 corn (arxan, chain corn), both registered on
 *   Jan 1 of Y-1 and again on Jan 1 of Y (annual plan of Y: P1 2454, P2 1000), completed on T;
 *   P3 wind (horqin-right-middle, chain new-energy) registered on T-20 with planned start T-20,
 *   plan 4000, never started (start_overdue opens on T-13), one progress report on T-10.
 *   investment Y-1: P1 200 (Jan 1) + 800 (L), P2 500 (L), P1 5000 on the day after L ends (left
 *   out of "the same period", only when that day is still in Y-1);
 *   investment Y:   P1 227 (Jan 1) + 1000 (R), P2 500 (R)
 *   => year to date at R: P1 1227 vs 1000 = +22.7 %, P2 500 vs 500 = 0 %, League 1727 vs 1500
 *      = +15.13 %; plan completion of Y: League 1727 / (2454 + 1000 + 4000), ulanhot 0.5,
 *      arxan 0.5; P3 is the only lagging project at the end.
 * </pre>
 */
final class HandMadeData {
  static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final ObjectMapper JSON = new ObjectMapper();

  final LocalDate today;
  final LocalDate refStart;
  final LocalDate refEnd;
  final LocalDate lastYearStart;
  final LocalDate lastYearEnd;
  final int refYear;

  private final List<String> lines = new ArrayList<>();
  private int seq;

  HandMadeData(LocalDate today) {
    this.today = today;
    LocalDate currentHalf = today.withDayOfMonth(today.getDayOfMonth() <= 15 ? 1 : 16);
    refEnd = currentHalf.minusDays(1);
    refStart = refEnd.withDayOfMonth(refEnd.getDayOfMonth() <= 15 ? 1 : 16);
    refYear = refStart.getYear();
    lastYearStart = refStart.minusYears(1);
    lastYearEnd =
        lastYearStart.getDayOfMonth() == 1
            ? lastYearStart.plusDays(14)
            : lastYearStart.withDayOfMonth(lastYearStart.lengthOfMonth());
    services();
    markets();
    projects();
  }

  /** The events as JSON Lines for {@code backfill}, each with its {@code "stream"}. */
  List<String> lines() {
    return List.copyOf(lines);
  }

  /** Whether the month of today also holds R's services (then this month has 2 more). */
  boolean refInCurrentMonth() {
    return refStart.getYear() == today.getYear() && refStart.getMonth() == today.getMonth();
  }

  private void services() {
    LocalDateTime t = today.atTime(0, 5);
    completed(
        "s1", "mortgage-filing", "natural-resources", "ulanhot", "online", 20, 5, t, 48, 0, 5);
    completed(
        "s2", "mortgage-filing", "natural-resources", "ulanhot", "window", 20, 5, t, 144, 1, 3);
    completed(
        "s3", "land-dispute-ruling", "natural-resources", "arxan", "online", 180, 16, t, 24, 0, 4);
    completed(
        "s4",
        "residence-permit",
        "public-security",
        "ulanhot",
        "one_stop_police",
        15,
        7,
        t,
        144,
        0,
        null);
    transaction("a1", "mortgage-filing", "natural-resources", "ulanhot", "accepted", "window", t);
    transaction(
        "r1", "residence-permit", "public-security", "ulanhot", "rejected", "one_stop_police", t);
    // R this year: one on time (2 h), one late (240 h against 5 promised days), one accepted.
    LocalDateTime r = refStart.atTime(10, 0);
    completed("t1", "mortgage-filing", "natural-resources", "ulanhot", "online", 20, 5, r, 2, 0, 5);
    completed(
        "t2", "mortgage-filing", "natural-resources", "ulanhot", "window", 20, 5, r, 240, 1, 2);
    transaction("a2", "mortgage-filing", "natural-resources", "ulanhot", "accepted", "online", r);
    // L last year: three on time, one late, two accepted.
    LocalDateTime l = lastYearStart.atTime(10, 0);
    completed("u1", "mortgage-filing", "natural-resources", "ulanhot", "online", 20, 5, l, 2, 0, 5);
    completed("u2", "mortgage-filing", "natural-resources", "ulanhot", "online", 20, 5, l, 3, 0, 4);
    completed("u3", "mortgage-filing", "natural-resources", "ulanhot", "window", 20, 5, l, 4, 1, 4);
    completed(
        "u4", "mortgage-filing", "natural-resources", "ulanhot", "window", 20, 5, l, 200, 1, 1);
    transaction("a3", "mortgage-filing", "natural-resources", "ulanhot", "accepted", "online", l);
    transaction("a4", "mortgage-filing", "natural-resources", "ulanhot", "accepted", "window", l);
  }

  private void markets() {
    LocalDate weekAgo = today.minusDays(7);
    LocalDate twoWeeksAgo = today.minusDays(14);
    market("tuanjie-night", "团结夜市", "ulanhot", "night", "operating", 120, 96, today.atTime(0, 10));
    market(
        "yinde-er-morning",
        "音德尔镇早市",
        "jalaid",
        "morning",
        "upgrading",
        80,
        40,
        today.atTime(0, 15));
    market("tuanjie-night", "团结夜市", "ulanhot", "night", "operating", 120, 84, today.atTime(0, 40));
    Map<String, Object> gig =
        marketFields("ulanhot-gig", "乌兰浩特零工市场", "ulanhot", "gig", "operating", 0, 0);
    gig.put("workers_registered", 150);
    gig.put("jobs_matched", 12);
    add("market-stall-counts", today.atTime(0, 20), gig);
    market(
        "tuanjie-night", "团结夜市", "ulanhot", "night", "operating", 120, 100, weekAgo.atTime(19, 0));
    market(
        "yinde-er-morning",
        "音德尔镇早市",
        "jalaid",
        "morning",
        "operating",
        80,
        60,
        weekAgo.atTime(19, 0));
    market(
        "tuanjie-night",
        "团结夜市",
        "ulanhot",
        "night",
        "operating",
        120,
        60,
        twoWeeksAgo.atTime(19, 0));
  }

  private void projects() {
    int lastYear = refYear - 1;
    LocalDate jan1Last = LocalDate.of(lastYear, 1, 1);
    LocalDate jan1 = LocalDate.of(refYear, 1, 1);
    LocalDate end = LocalDate.of(refYear + 2, 12, 31);
    register(
        "P1",
        "乳业5G智慧工厂",
        "ulanhot",
        "dairy",
        "key",
        "1800.00",
        jan1Last,
        end,
        jan1Last.atTime(9, 0));
    register(
        "P2",
        "玉米深加工",
        "arxan",
        "corn",
        "highlight",
        "900.00",
        jan1Last,
        end,
        jan1Last.atTime(9, 30));
    invest("P1", "200.00", jan1Last.atTime(10, 0));
    invest("P1", "800.00", lastYearStart.atTime(11, 0));
    invest("P2", "500.00", lastYearStart.atTime(11, 30));
    LocalDate afterSamePeriod = lastYearEnd.plusDays(1);
    if (afterSamePeriod.getYear() == lastYear) {
      invest("P1", "5000.00", afterSamePeriod.atTime(10, 0));
    }
    register(
        "P1", "乳业5G智慧工厂", "ulanhot", "dairy", "key", "2454.00", jan1Last, end, jan1.atTime(9, 0));
    register(
        "P2", "玉米深加工", "arxan", "corn", "highlight", "1000.00", jan1Last, end, jan1.atTime(9, 30));
    invest("P1", "227.00", jan1.atTime(10, 0));
    invest("P1", "1000.00", refStart.atTime(11, 0));
    invest("P2", "500.00", refStart.atTime(11, 30));
    LocalDate p3Start = today.minusDays(20);
    register(
        "P3",
        "60MW风电绿色微电网",
        "horqin-right-middle",
        "new-energy",
        "difficult",
        "4000.00",
        p3Start,
        LocalDate.of(today.getYear(), 12, 31),
        p3Start.atTime(1, 0));
    Map<String, Object> progress = projectFields("P3", "progress");
    progress.put("progress_pct", 10);
    add("project-progress", today.minusDays(10).atTime(1, 0), progress);
    milestone("P1", "completed", today.atTime(0, 30));
    milestone("P2", "completed", today.atTime(0, 35));
  }

  private void completed(
      String id,
      String service,
      String department,
      String county,
      String channel,
      int statutory,
      int promised,
      LocalDateTime at,
      int hours,
      int visits,
      Integer satisfaction) {
    Map<String, Object> e = serviceFields(id, service, department, county, "completed", channel);
    e.put("statutory_days", statutory);
    e.put("promised_days", promised);
    e.put("accepted_at", iso(at.minusHours(hours)));
    e.put("visits", visits);
    if (satisfaction != null) {
      e.put("satisfaction", satisfaction);
    }
    add("service-transactions", at, e);
  }

  private void transaction(
      String id,
      String service,
      String department,
      String county,
      String status,
      String channel,
      LocalDateTime at) {
    Map<String, Object> e = serviceFields(id, service, department, county, status, channel);
    e.put("statutory_days", 20);
    e.put("promised_days", 5);
    add("service-transactions", at, e);
  }

  private static Map<String, Object> serviceFields(
      String id, String service, String department, String county, String status, String channel) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("transaction_id", "tx-" + id);
    e.put("service_code", service);
    e.put("service_name", service.replace('-', ' '));
    e.put("department", department);
    e.put("county", county);
    e.put("status", status);
    e.put("channel", channel);
    return e;
  }

  private void market(
      String id,
      String name,
      String county,
      String type,
      String status,
      int total,
      int occupied,
      LocalDateTime at) {
    add("market-stall-counts", at, marketFields(id, name, county, type, status, total, occupied));
  }

  private static Map<String, Object> marketFields(
      String id, String name, String county, String type, String status, int total, int occupied) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("market_id", id);
    e.put("market_name", name);
    e.put("county", county);
    e.put("market_type", type);
    e.put("status", status);
    e.put("stalls_total", total);
    e.put("stalls_occupied", occupied);
    return e;
  }

  private void register(
      String id,
      String name,
      String county,
      String chain,
      String list,
      String plannedYear,
      LocalDate plannedStart,
      LocalDate plannedCompletion,
      LocalDateTime at) {
    Map<String, Object> e = projectFields(id, "registered");
    e.put("project_name", name);
    e.put("county", county);
    e.put("chain", chain);
    e.put("list", list);
    e.put("planned_total_cny", new BigDecimal("20000.00"));
    e.put("planned_year_cny", new BigDecimal(plannedYear));
    e.put("planned_start", plannedStart.toString());
    e.put("planned_completion", plannedCompletion.toString());
    add("project-progress", at, e);
  }

  private void invest(String id, String amount, LocalDateTime at) {
    Map<String, Object> e = projectFields(id, "investment");
    e.put("amount_cny", new BigDecimal(amount));
    add("project-progress", at, e);
  }

  private void milestone(String id, String milestone, LocalDateTime at) {
    Map<String, Object> e = projectFields(id, "milestone");
    e.put("milestone", milestone);
    add("project-progress", at, e);
  }

  private static Map<String, Object> projectFields(String id, String type) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("project_id", id);
    e.put("type", type);
    return e;
  }

  private void add(String stream, LocalDateTime at, Map<String, Object> fields) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("stream", stream);
    e.put("event_id", "hm-" + (++seq));
    e.put("event_time", iso(at));
    e.putAll(fields);
    try {
      lines.add(JSON.writeValueAsString(e));
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("cannot write event " + e, ex);
    }
  }

  private static String iso(LocalDateTime local) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(local.atZone(ZONE));
  }
}
