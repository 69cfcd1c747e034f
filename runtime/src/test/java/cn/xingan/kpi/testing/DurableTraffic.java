// The live traffic of the process-level durable-run test (DurableRunITCase): enough service events
// that the dedup state is far beyond what a memory-backed checkpoint may hold, the market and
// project scenarios of the fault tests, and a few invalid records, cut into three parts that are
// sent around a SIGKILL and a SIGTERM, with event ids of earlier parts sent again.
package cn.xingan.kpi.testing;

import cn.xingan.kpi.testing.ServiceTransactions.Event;
import cn.xingan.kpi.testing.ServiceTransactions.Service;
import cn.xingan.kpi.testing.projects.ProjectOracle;
import cn.xingan.kpi.testing.projects.ProjectYear;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * What each part sends, per topic, as (key, JSON value) pairs in sending order.
 *
 * <p><b>Event times.</b> The service events lie in 2026-03-02..03-13 (local time), part 1 the first
 * four days, part 2 the next four, part 3 the last four, sent in time order with less than 30
 * minutes of disorder (the run's watermark bound is 1 h). The earliest any of them becomes late is
 * 2026-03-16 00:00 (end of the week of March 2 plus the 7 days of allowed lateness), after every
 * event of the three parts: so every repeat of an earlier part's id is still admitted and must be
 * dropped as a duplicate, by state that survived the restarts. For the same reason the dedup state
 * is never cleared during the parts: all 300k ids (about a week of the League's traffic) are in
 * every checkpoint. The market (May–June 2026) and project (2025) scenarios are cut in three in
 * their own sending order; their repeats are the last records of the previous part, a day or two
 * behind the watermark, not late either.
 */
final class DurableTraffic {
  static final int SERVICE_EVENTS = 300_000;
  static final int PARTS = 3;

  /** Repeats of service ids of each earlier part sent in a part. */
  static final int SERVICE_REPEATS = 1_500;

  /** Repeats of the last market reports and project events of the previous part. */
  static final int MARKET_REPEATS = 20;

  static final int PROJECT_REPEATS = 8;

  /**
   * Invalid service records per part, in its first twentieth; each is one rejection (one Kafka
   * offset).
   */
  static final int INVALID_PER_PART = 4;

  private static final Instant SERVICE_START = Instant.parse("2026-03-01T16:00:00Z"); // 03-02 local
  private static final Duration SERVICE_SPAN = Duration.ofDays(12);
  private static final long SEED = 20260302L;

  /** One part's records per topic, in sending order. */
  record Part(
      List<Map.Entry<String, String>> service,
      List<Map.Entry<String, String>> market,
      List<Map.Entry<String, String>> project,
      int newServiceEvents,
      int repeatedRecords,
      int invalidRecords) {

    int records() {
      return service.size() + market.size() + project.size();
    }
  }

  private final List<Event> serviceEvents;
  private final ServiceScenario service;
  private final MarketScenario market = MarketScenario.standard();
  private final ProjectScenario project = ProjectScenario.standard();
  private final List<Part> parts = new ArrayList<>();
  private final List<String> invalidIds = new ArrayList<>();

  DurableTraffic() {
    Random random = new Random(SEED);
    serviceEvents = serviceEvents(random);
    service = ServiceScenario.of(serviceEvents);
    List<Map.Entry<String, String>> serviceOrder =
        ServiceTransactions.sendingOrder(serviceEvents, SEED).stream()
            .map(e -> Map.entry(e.transactionId(), e.json(null)))
            .toList();
    List<List<Map.Entry<String, String>>> serviceParts = thirds(serviceOrder);
    List<List<Map.Entry<String, String>>> marketParts = thirds(market.records());
    List<List<Map.Entry<String, String>>> projectParts = thirds(project.records());
    for (int p = 0; p < PARTS; p++) {
      List<Map.Entry<String, String>> s = new ArrayList<>(serviceParts.get(p));
      int repeats = 0;
      for (int earlier = 0; earlier < p; earlier++) {
        List<Map.Entry<String, String>> pool = new ArrayList<>(serviceParts.get(earlier));
        Collections.shuffle(pool, random);
        repeats += insertRandomly(s, pool.subList(0, SERVICE_REPEATS), random);
      }
      for (int i = 1; i <= INVALID_PER_PART; i++) {
        String id = "bad-" + (p + 1) + "-" + i;
        invalidIds.add(id);
        // early in the part: part 2's are in the tenth sent just before the SIGKILL
        s.add(
            random.nextInt(s.size() / 20),
            Map.entry(
                "bad",
                "{\"event_id\":\""
                    + id
                    + "\",\"event_time\":\"2026-03-03T10:00:00+08:00\",\"status\":\"teleported\"}"));
      }
      List<Map.Entry<String, String>> m = new ArrayList<>(marketParts.get(p));
      List<Map.Entry<String, String>> pr = new ArrayList<>(projectParts.get(p));
      if (p > 0) {
        List<Map.Entry<String, String>> lastMarket = marketParts.get(p - 1);
        List<Map.Entry<String, String>> lastProject = projectParts.get(p - 1);
        // At the head of the part: the previous part's last records again, as a producer
        // retrying what it sent just before the job went away would.
        m.addAll(0, lastMarket.subList(lastMarket.size() - MARKET_REPEATS, lastMarket.size()));
        pr.addAll(0, lastProject.subList(lastProject.size() - PROJECT_REPEATS, lastProject.size()));
        repeats += MARKET_REPEATS + PROJECT_REPEATS;
      }
      parts.add(
          new Part(
              List.copyOf(s),
              List.copyOf(m),
              List.copyOf(pr),
              serviceParts.get(p).size(),
              repeats,
              INVALID_PER_PART));
    }
  }

  List<Part> parts() {
    return parts;
  }

  Part part(int oneBased) {
    return parts.get(oneBased - 1);
  }

  List<StreamScenario> scenarios() {
    return List.of(service, market, project);
  }

  /** The event ids of the invalid records, each rejected once. */
  List<String> invalidIds() {
    return invalidIds;
  }

  /** Distinct service events of parts 1..n: what the league's week rows add up to after part n. */
  int distinctServiceEventsUpTo(int part) {
    int n = 0;
    for (int p = 0; p < part; p++) {
      n += parts.get(p).newServiceEvents();
    }
    return n;
  }

  /** Distinct market reports of parts 1..n. */
  int distinctMarketReportsUpTo(int part) {
    return thirds(market.records()).subList(0, part).stream().mapToInt(List::size).sum();
  }

  /**
   * What the league's year rows of {@code kpi_project} count in {@code events} after parts 1..n:
   * the oracle's figure over those parts' distinct events (a row's events are the touches of its
   * scope up to the period's end, so the week rows do not add up to the events).
   */
  long projectLeagueYearEventsUpTo(int part) {
    List<ProjectYear.Ev> all = ProjectYear.generate(ProjectScenario.SEED);
    int n = thirds(all).subList(0, part).stream().mapToInt(List::size).sum();
    return new ProjectOracle(all.subList(0, n), ProjectYear.ZONE)
        .rows("year", "league").values().stream().mapToLong(ProjectOracle.Row::events).sum();
  }

  int totalRecords() {
    return parts.stream().mapToInt(Part::records).sum();
  }

  private static <T> List<List<T>> thirds(List<T> all) {
    int a = all.size() / 3;
    int b = 2 * all.size() / 3;
    return List.of(all.subList(0, a), all.subList(a, b), all.subList(b, all.size()));
  }

  private static int insertRandomly(
      List<Map.Entry<String, String>> into, List<Map.Entry<String, String>> extra, Random r) {
    for (Map.Entry<String, String> e : extra) {
      into.add(r.nextInt(into.size() + 1), e);
    }
    return extra.size();
  }

  /**
   * {@value #SERVICE_EVENTS} events spread over {@link #SERVICE_SPAN} from 2026-03-02 local time,
   * in time order; statuses, services, counties and channels drawn at random, a completion's
   * processing time up to twice its promise.
   */
  private static List<Event> serviceEvents(Random random) {
    List<Long> offsets = new ArrayList<>(SERVICE_EVENTS);
    long span = SERVICE_SPAN.toMillis();
    for (int i = 0; i < SERVICE_EVENTS; i++) {
      offsets.add((long) (random.nextDouble() * span));
    }
    offsets.sort(Comparator.naturalOrder());
    List<Event> events = new ArrayList<>(SERVICE_EVENTS);
    DateTimeFormatter format = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    for (int i = 0; i < SERVICE_EVENTS; i++) {
      Instant t = SERVICE_START.plusMillis(offsets.get(i));
      Service s =
          ServiceTransactions.SERVICES.get(random.nextInt(ServiceTransactions.SERVICES.size()));
      int pick = random.nextInt(20);
      String status = pick < 7 ? "accepted" : pick < 17 ? "completed" : "rejected";
      ZoneOffset offset = random.nextBoolean() ? ZoneOffset.ofHours(8) : ZoneOffset.UTC;
      String acceptedText = null;
      Instant accepted = null;
      Integer visits = null;
      Integer satisfaction = null;
      if (status.equals("completed")) {
        accepted =
            t.minusMillis(60_000 + (long) (random.nextDouble() * 2 * s.promised() * 86_400_000L));
        acceptedText = format.format(accepted.atOffset(offset));
        visits = random.nextInt(10) < 4 ? 0 : 1 + random.nextInt(3);
        satisfaction = random.nextInt(10) < 3 ? null : 1 + random.nextInt(5);
      }
      events.add(
          new Event(
              // ids as producers make them (UUIDs): the dedup state holds one per event
              new UUID(random.nextLong(), random.nextLong()).toString(),
              format.format(t.atOffset(offset)),
              t,
              String.format("tx-dr-%06d", i + 1),
              s,
              ServiceTransactions.COUNTIES.get(random.nextInt(ServiceTransactions.COUNTIES.size())),
              status,
              ServiceTransactions.CHANNELS.get(random.nextInt(ServiceTransactions.CHANNELS.size())),
              acceptedText,
              accepted,
              visits,
              satisfaction));
    }
    return List.copyOf(events);
  }
}
