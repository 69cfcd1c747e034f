// The input of the service-transactions acceptance tests. It is built here, from a seeded Random of
// its own, rather than by the project's generator, so that neither the events nor the expectations
// computed from them (ServiceKpiOracle) depend on any code under test.
package cn.xingan.kpi.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * About a thousand {@code service-transactions} events, reproducible from a seed: random events
 * over 2026-01 to 2027-02 (partly in bursts, so that records really arrive out of order), every
 * calendar edge the contract names written with different UTC offsets, completions exactly at and
 * one second past their promise, and a handful of events in the leap February of 2028.
 */
final class ServiceTransactions {

  static final String TOPIC = "service-transactions";

  static final List<String> COUNTIES =
      List.of(
          "ulanhot",
          "arxan",
          "horqin-right-front",
          "horqin-right-middle",
          "jalaid",
          "tuquan",
          "dev-zone",
          "reclamation");

  static final List<String> CHANNELS = List.of("online", "window", "one_stop_police", "mail");

  /** A service of the catalogue the events draw from; the days are the DOMAIN.md examples. */
  record Service(String department, String code, String name, int statutoryDays, int promised) {}

  static final List<Service> SERVICES =
      List.of(
          new Service("natural-resources", "mortgage-filing", "不动产抵押登记", 30, 5),
          new Service("natural-resources", "land-dispute-ruling", "土地权属争议裁决", 180, 16),
          new Service("natural-resources", "surveying-licence", "测绘资质审批", 20, 5),
          new Service("public-security", "residence-permit", "居住证办理", 15, 3),
          new Service("public-security", "household-transfer", "户口迁移", 20, 1),
          new Service("human-resources", "employment-registration", "就业登记", 10, 2),
          new Service("human-resources", "social-insurance-transfer", "社会保险关系转移", 45, 15));

  /**
   * Instants where a period starts or ends, written as a producer in another zone would: each
   * comment gives the local date in Asia/Shanghai (UTC+8).
   */
  static final List<String> EDGE_INSTANTS =
      List.of(
          "2026-01-01T00:00:00+08:00", // first instant of 2026
          "2026-01-15T15:59:59Z", // Jan 15 23:59:59, last second of the first half
          "2026-01-15T16:00:00Z", // Jan 16 00:00
          "2026-01-31T16:00:00Z", // Feb 1 00:00
          "2026-02-15T15:59:59.999Z", // Feb 15 23:59:59.999
          "2026-02-28T23:59:59+08:00", // Feb 28, last day of a common February
          "2026-03-01T00:00:00+08:00", // Mar 1
          "2026-03-31T23:59:59+08:00", // last second of Q1
          "2026-03-31T11:00:00-05:00", // 16:00Z = Apr 1 00:00, first instant of Q2
          "2026-06-15T15:59:59Z", // Jun 15 23:59:59 (a Monday)
          "2026-06-15T16:00:00Z", // Jun 16 00:00
          "2026-06-30T15:59:59Z", // Jun 30 23:59:59, last second of Q2
          "2026-06-30T23:30:00-05:00", // Jul 1 12:30, in Q3
          "2026-06-30T21:00:00+05:30", // 15:30Z = Jun 30 23:30, still Q2
          "2026-09-30T16:00:00Z", // Oct 1 00:00, first instant of Q4
          "2026-09-30T23:59:59+08:00", // Sep 30, last second of Q3
          "2026-11-30T16:00:00Z", // Dec 1 00:00
          "2026-12-27T23:59:59+08:00", // Sunday of ISO week 52
          "2026-12-28T00:00:00+08:00", // Monday of ISO week 53 (2026-12-28..2027-01-03)
          "2026-12-31T15:59:59Z", // Dec 31 23:59:59
          "2026-12-31T23:59:59+08:00", // the same local second, written in +08:00
          "2027-01-01T00:00:00+08:00", // 2027 starts, still ISO week 53 of 2026
          "2026-12-31T10:00:00-10:00", // 20:00Z = Jan 1 04:00 local
          "2027-01-01T01:00:00+09:00", // 16:00Z Dec 31 = Jan 1 00:00 local
          "2027-01-03T15:59:59Z", // Sunday Jan 3 23:59:59, end of week 53
          "2027-01-03T16:00:00Z", // Monday Jan 4 00:00, ISO week 1 of 2027
          "2027-01-15T16:00:00Z", // Jan 16 00:00
          "2027-02-28T15:59:59Z", // Feb 28 23:59:59
          "2028-02-01T00:00:00+08:00", // leap February
          "2028-02-15T16:00:00Z", // Feb 16 00:00
          "2028-02-27T10:00:00+08:00", // Sunday
          "2028-02-28T16:00:00Z", // Feb 29 00:00 (a Tuesday)
          "2028-02-29T12:00:00+08:00", // Feb 29 noon
          "2028-02-29T15:59:59Z", // Feb 29 23:59:59, last second of Feb 2028
          "2028-02-29T16:00:00Z"); // Mar 1 00:00

  private static final Instant RANGE_START = Instant.parse("2025-12-31T16:00:00Z"); // 2026-01-01
  private static final Instant RANGE_END = Instant.parse("2027-02-28T16:00:00Z"); // 2027-03-01
  private static final Instant LEAP_START = Instant.parse("2028-01-31T16:00:00Z"); // 2028-02-01
  private static final int RANDOM_EVENTS = 940;
  private static final int LEAP_RANDOM_EVENTS = 6;

  private static final List<ZoneOffset> OFFSETS =
      List.of(
          ZoneOffset.ofHours(8),
          ZoneOffset.UTC,
          ZoneOffset.ofHours(-5),
          ZoneOffset.ofHoursMinutes(5, 30),
          ZoneOffset.ofHours(9),
          ZoneOffset.ofHours(-10),
          ZoneOffset.ofHours(14));
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One event: the fields as written in JSON and, parsed once, the instants the oracle needs. */
  record Event(
      String eventId,
      String eventTimeText,
      Instant eventTime,
      String transactionId,
      Service service,
      String county,
      String status,
      String channel,
      String acceptedAtText,
      Instant acceptedAt,
      Integer visits,
      Integer satisfaction) {

    boolean completed() {
      return status.equals("completed");
    }

    /** The Kafka record value; with {@code stream} non-null, a backfill line. */
    String json(String stream) {
      Map<String, Object> f = new LinkedHashMap<>();
      if (stream != null) {
        f.put("stream", stream);
      }
      f.put("event_id", eventId);
      f.put("event_time", eventTimeText);
      f.put("transaction_id", transactionId);
      f.put("service_code", service.code());
      f.put("service_name", service.name());
      f.put("department", service.department());
      f.put("county", county);
      f.put("status", status);
      f.put("channel", channel);
      f.put("statutory_days", service.statutoryDays());
      f.put("promised_days", service.promised());
      if (completed()) {
        f.put("accepted_at", acceptedAtText);
        f.put("visits", visits);
        if (satisfaction != null) {
          f.put("satisfaction", satisfaction);
        }
      }
      try {
        return JSON.writeValueAsString(f);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write event " + eventId + " as JSON", e);
      }
    }
  }

  private final Random random;
  private final List<Event> events = new ArrayList<>();
  private final List<String> acceptedTransactions = new ArrayList<>();

  private ServiceTransactions(long seed) {
    this.random = new Random(seed);
  }

  /** The events, in generation order (neither time order nor the order they are sent in). */
  static List<Event> generate(long seed) {
    ServiceTransactions g = new ServiceTransactions(seed);
    for (int i = 0; i < EDGE_INSTANTS.size(); i++) {
      String text = EDGE_INSTANTS.get(i);
      // Mostly completions, so the edges move the processing figures too.
      String status = i % 4 == 3 ? "rejected" : i % 4 == 1 ? "accepted" : "completed";
      g.add(text, OffsetDateTime.parse(text).toInstant(), status);
    }
    Instant previous = RANGE_START;
    for (int i = 0; i < RANDOM_EVENTS; i++) {
      Instant t =
          g.random.nextInt(10) < 3
              ? previous.plusMillis(g.random.nextInt(20 * 60_000)) // a burst
              : g.uniform(RANGE_START, RANGE_END);
      if (!t.isBefore(RANGE_END)) {
        t = RANGE_END.minusSeconds(1);
      }
      g.add(g.format(t), t, g.randomStatus());
      previous = t;
    }
    for (int i = 0; i < LEAP_RANDOM_EVENTS; i++) {
      Instant t = g.uniform(LEAP_START, Instant.parse("2028-02-29T16:00:00Z"));
      g.add(g.format(t), t, g.randomStatus());
    }
    return List.copyOf(g.events);
  }

  /**
   * The order to send the events in: by event time plus a random delay below 30 minutes, so an
   * event is overtaken only by events less than 30 minutes older — within the 1 h out-of-orderness
   * bound of the test, hence never late.
   */
  static List<Event> sendingOrder(List<Event> events, long seed) {
    Random r = new Random(seed);
    List<Map.Entry<Long, Event>> keyed = new ArrayList<>();
    for (Event e : events) {
      keyed.add(Map.entry(e.eventTime().toEpochMilli() + r.nextInt(30 * 60_000), e));
    }
    keyed.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
    return keyed.stream().map(Map.Entry::getValue).toList();
  }

  private void add(String eventTimeText, Instant eventTime, String status) {
    int n = events.size() + 1;
    Service service = SERVICES.get(random.nextInt(SERVICES.size()));
    String county = COUNTIES.get(random.nextInt(COUNTIES.size()));
    String channel = CHANNELS.get(random.nextInt(CHANNELS.size()));
    String transactionId = String.format("tx-%05d", n);
    if (!status.equals("accepted") && !acceptedTransactions.isEmpty() && random.nextBoolean()) {
      transactionId = acceptedTransactions.get(random.nextInt(acceptedTransactions.size()));
    }
    if (status.equals("accepted")) {
      acceptedTransactions.add(transactionId);
    }
    String acceptedAtText = null;
    Instant acceptedAt = null;
    Integer visits = null;
    Integer satisfaction = null;
    if (status.equals("completed")) {
      acceptedAt = eventTime.minus(processingTime(service.promised()));
      acceptedAtText = format(acceptedAt);
      visits = random.nextInt(10) < 4 ? 0 : 1 + random.nextInt(3);
      satisfaction = random.nextInt(10) < 3 ? null : 1 + random.nextInt(5);
    }
    events.add(
        new Event(
            String.format("ev-%05d", n),
            eventTimeText,
            eventTime,
            transactionId,
            service,
            county,
            status,
            channel,
            acceptedAtText,
            acceptedAt,
            visits,
            satisfaction));
  }

  /** Exactly the promise (on time), one second over, one millisecond under, or anything. */
  private Duration processingTime(int promisedDays) {
    Duration promise = Duration.ofDays(promisedDays);
    int pick = random.nextInt(20);
    if (pick < 3) {
      return promise;
    } else if (pick < 6) {
      return promise.plusSeconds(1);
    } else if (pick < 7) {
      return promise.minusMillis(1);
    } else if (pick < 8) {
      return Duration.ZERO;
    }
    long upTo = promise.toMillis() * 2;
    return Duration.ofMillis(60_000 + (long) (random.nextDouble() * upTo));
  }

  private String randomStatus() {
    int pick = random.nextInt(20);
    return pick < 7 ? "accepted" : pick < 17 ? "completed" : "rejected";
  }

  private Instant uniform(Instant from, Instant to) {
    long span = to.getEpochSecond() - from.getEpochSecond();
    Instant t = from.plusSeconds((long) (random.nextDouble() * span));
    return random.nextInt(4) == 0 ? t.plusMillis(1 + random.nextInt(999)) : t;
  }

  /** The instant written with a random offset, with milliseconds only when it has some. */
  private String format(Instant t) {
    OffsetDateTime local = t.atOffset(OFFSETS.get(random.nextInt(OFFSETS.size())));
    return (t.getNano() == 0 ? SECONDS : MILLIS).format(local);
  }
}
