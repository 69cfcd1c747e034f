package cn.xingan.kpi.bench.pipeline;

import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.local.generate.GeneratedEvent;
import cn.xingan.kpi.local.generate.MarketReportGenerator;
import cn.xingan.kpi.local.generate.ProjectGenerator;
import cn.xingan.kpi.local.generate.ServiceTransactionGenerator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * The benchmark's events: the League's three streams as the quickstart generates them, at the
 * League's rate ({@link #SERVICE_PER_HOUR} service transactions an hour, about 300k events a week
 * of all streams), hour by hour up to the last whole hour before now, so that {@code count} events
 * end just before the wall clock (no event is in the future, none late). The same seed gives the
 * same events, so every run of the benchmark reads the same input.
 */
final class BenchData {
  /** Service transactions per hour: each gives about two events (accepted, then its outcome). */
  static final double SERVICE_PER_HOUR = 900;

  /** Events of all streams per hour at that rate (measured on the generators: for the start). */
  static final double EVENTS_PER_HOUR = 1_850;

  /** One generated event and its stream. */
  interface Sink {
    void accept(EventStream stream, GeneratedEvent event);
  }

  private final long seed;
  private final ZoneId zone;
  private final ServiceTransactionGenerator services;
  private final MarketReportGenerator markets;
  private ProjectGenerator projects;
  private int projectYear = Integer.MIN_VALUE;

  BenchData(long seed, ZoneId zone) {
    this.seed = seed;
    this.zone = zone;
    this.services = new ServiceTransactionGenerator(seed, zone);
    this.markets = new MarketReportGenerator(seed, zone);
  }

  /** The hour the events of {@code count} begin at, so that they end before {@code end}. */
  static Instant startFor(long count, Instant end) {
    long hours = (long) Math.ceil(count / EVENTS_PER_HOUR * 1.05) + 1;
    return end.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(hours));
  }

  /**
   * Hands over {@code count} events (fewer if {@code end} comes first), hour by hour from {@code
   * from}.
   *
   * @return the number handed over
   */
  long generate(Instant from, Instant end, long count, Sink sink) {
    long[] n = {0};
    Sink counting =
        (stream, e) -> {
          if (n[0] < count) {
            n[0]++;
            sink.accept(stream, e);
          }
        };
    for (Instant h = from.truncatedTo(ChronoUnit.HOURS);
        n[0] < count && !h.plus(Duration.ofHours(1)).isAfter(end);
        h = h.plus(Duration.ofHours(1))) {
      hour(h, counting);
    }
    return n[0];
  }

  /**
   * The events of the hour from {@code h}: its service transactions, market reports and project
   * events. Hours are to be asked for in order (the service generator continues its open
   * transactions from one to the next).
   */
  void hour(Instant h, Sink sink) {
    Instant next = h.plus(Duration.ofHours(1));
    int year = h.atZone(zone).getYear();
    if (year != projectYear) {
      projects = new ProjectGenerator(seed, zone, year);
      projectYear = year;
    }
    services.forEachBetween(
        h, next, SERVICE_PER_HOUR, e -> sink.accept(EventStream.SERVICE_TRANSACTIONS, e));
    markets.forEachBetween(h, next, e -> sink.accept(EventStream.MARKET_STALL_COUNTS, e));
    projects.forEachBetween(h, next, e -> sink.accept(EventStream.PROJECT_PROGRESS, e));
  }

  /** Whether a service event's JSON is an {@code accepted} one (the generator's own format). */
  static boolean isAccepted(GeneratedEvent e) {
    return new String(e.json(), StandardCharsets.UTF_8).contains("\"status\":\"accepted\"");
  }
}
