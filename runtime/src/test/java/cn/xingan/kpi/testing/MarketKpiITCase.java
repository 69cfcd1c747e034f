// kpi_market end to end: two months of market reports go through real Kafka, the streaming job on a
// Flink MiniCluster and the JDBC sink into a real ClickHouse, and every row read back must equal
// what this test computes on its own from the same reports. A backfill of the same reports as JSON
// Lines into another database must give the very same rows.
package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.EventDecoder;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.job.EnvelopeWatermarks;
import cn.xingan.kpi.job.KpiJob;
import cn.xingan.kpi.job.KpiJobMain;
import cn.xingan.kpi.job.KpiSources;
import cn.xingan.kpi.sink.ClickHouseEndpoint;
import cn.xingan.kpi.sink.ClickHouseHttp;
import cn.xingan.kpi.sink.ClickHouseSinks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class MarketKpiITCase {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final LocalDate FIRST_DAY = LocalDate.of(2026, 5, 1);
  private static final LocalDate LAST_DAY = LocalDate.of(2026, 6, 30);
  private static final String TOPIC = "itc-market-" + UUID.randomUUID().toString().substring(0, 8);

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final ClickHouseExtension CLICKHOUSE = new ClickHouseExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static List<Report> reports;
  private static ClickHouseHttp backfillDb;

  // ---- the reports ----

  /** One market of the test, with its sessions (local report times) and stall count. */
  private record Market(
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
  private record Report(
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

  private static List<Market> markets() {
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
  private static List<Report> generate() {
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

  private record Key(String period, LocalDate start, String scope, String scopeKey)
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
  private record Row(
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
  private static LocalDate[] period(String kind, LocalDate d) {
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

  private static Map<Key, Row> expected(List<Report> all) {
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

  // ---- reading back ----

  private static Map<Key, Row> actual(ClickHouseHttp http) {
    Map<Key, Row> rows = new TreeMap<>();
    for (Map<String, Object> m :
        http.queryJson(
            "SELECT period, toString(period_start) AS start, toString(period_end) AS end, scope,"
                + " scope_key, markets_reporting, observations, stalls_occupied_sum,"
                + " stalls_total_sum, stalls_occupied_peak, markets_operating, markets_upgrading,"
                + " markets_closed, workers_registered_latest, jobs_matched, events, is_final,"
                + " version FROM kpi_market FINAL")) {
      Key key =
          new Key(
              (String) m.get("period"),
              LocalDate.parse((String) m.get("start")),
              (String) m.get("scope"),
              (String) m.get("scope_key"));
      Row row =
          new Row(
              LocalDate.parse((String) m.get("end")),
              n(m, "markets_reporting"),
              n(m, "observations"),
              n(m, "stalls_occupied_sum"),
              n(m, "stalls_total_sum"),
              n(m, "stalls_occupied_peak"),
              n(m, "markets_operating"),
              n(m, "markets_upgrading"),
              n(m, "markets_closed"),
              n(m, "workers_registered_latest"),
              n(m, "jobs_matched"),
              n(m, "events"),
              n(m, "is_final"),
              n(m, "version"));
      assertThat(rows.put(key, row)).as("two FINAL rows for %s", key).isNull();
    }
    return rows;
  }

  private static long n(Map<String, Object> row, String column) {
    return ((Number) row.get(column)).longValue();
  }

  private static void assertSameRows(Map<Key, Row> actual, Map<Key, Row> expected) {
    Set<Key> missing = new TreeSet<>(expected.keySet());
    missing.removeAll(actual.keySet());
    Set<Key> extra = new TreeSet<>(actual.keySet());
    extra.removeAll(expected.keySet());
    assertThat(missing).as("rows missing").isEmpty();
    assertThat(extra).as("rows not expected").isEmpty();
    for (Map.Entry<Key, Row> e : expected.entrySet()) {
      assertThat(actual.get(e.getKey())).as("row %s", e.getKey()).isEqualTo(e.getValue());
    }
  }

  private static List<String> rejectedIds(ClickHouseHttp http) {
    return http.queryJson("SELECT event_id, reason FROM rejected_events ORDER BY event_id").stream()
        .map(m -> m.get("event_id") + ":" + m.get("reason"))
        .toList();
  }

  // ---- the runs ----

  @BeforeAll
  static void produce() {
    reports = generate();
    // Arrival order: by day, but shuffled within each day (out of order, never late).
    Map<LocalDate, List<Report>> byDay = new TreeMap<>();
    for (Report r : reports) {
      byDay.computeIfAbsent(r.localDate(), d -> new ArrayList<>()).add(r);
    }
    Random random = new Random(7);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (List<Report> day : byDay.values()) {
      Collections.shuffle(day, random);
      for (Report r : day) {
        records.add(KafkaTestClient.record(TOPIC, r.market().id(), r.json()));
      }
    }
    KAFKA.createTopics(2, TOPIC);
    KAFKA.produce(TOPIC, records);
  }

  @AfterAll
  static void dropBackfillDatabase() {
    if (backfillDb != null) {
      backfillDb.dropDatabaseIfExists();
    }
  }

  @Test
  void theDataHoldWhatTheTestIsAbout() {
    Set<String> statuses = new HashSet<>();
    reports.stream().filter(Report::valid).forEach(r -> statuses.add(r.status()));
    assertThat(statuses).containsExactlyInAnyOrder("operating", "upgrading", "closed");
    assertThat(reports.stream().map(r -> r.market().id()).distinct())
        .hasSizeGreaterThanOrEqualTo(7);
    assertThat(reports.stream().map(r -> r.market().type()).distinct()).hasSize(5);
    assertThat(reports.stream().filter(r -> r.market().isGig() && r.workers() == null))
        .isNotEmpty();
    assertThat(reports.stream().filter(r -> r.market().isGig() && r.jobs() == null)).isNotEmpty();
    assertThat(reports).hasSizeGreaterThan(900);
  }

  @Test
  void streamingFromKafkaAndBackfillGiveTheOraclesRows(@TempDir Path dir) throws Exception {
    Map<Key, Row> expected = expected(reports);
    // 61 days: 10 weeks (Apr 27 .. Jul 5), 4 half months, 2 months, 1 quarter, 1 year; 21 keys.
    assertThat(expected.keySet().stream().map(Key::period).distinct()).hasSize(5);
    assertThat(expected.keySet().stream().map(Key::scope).distinct())
        .containsExactlyInAnyOrder("league", "county", "market_type", "market");
    assertThat(expected).hasSizeGreaterThan(300);
    assertThat(expected.values()).anyMatch(r -> r.marketsUpgrading() > 0);
    assertThat(expected.values()).anyMatch(r -> r.marketsClosed() > 0);

    KpiOptions options =
        KpiOptions.defaults()
            .withClickHouse(CLICKHOUSE.endpoint())
            .withKafka(KAFKA.bootstrapServers())
            .withEmitInterval(Duration.ofSeconds(1));
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(KpiJobMain.flinkConfig(options, false));
    env.setParallelism(2);
    new KpiJob(new TopicSource(TOPIC, options), new ClickHouseSinks(options), options, false)
        .build(env);
    env.execute("market itcase streaming");

    Map<Key, Row> streamed = actual(CLICKHOUSE.http());
    assertSameRows(streamed, expected);
    assertThat(rejectedIds(CLICKHOUSE.http()))
        .containsExactly(
            "ms-bad-1:invalid_value", "ms-bad-2:invalid_value", "ms-bad-3:invalid_value");

    // The same reports as a backfill folder of two JSON Lines files, in random order.
    List<Report> shuffled = new ArrayList<>(reports);
    Collections.shuffle(shuffled, new Random(11));
    Files.createDirectories(dir.resolve("in"));
    int half = shuffled.size() / 2;
    write(dir.resolve("in/a.jsonl"), shuffled.subList(0, half));
    write(dir.resolve("in/b.jsonl"), shuffled.subList(half, shuffled.size()));
    ClickHouseEndpoint main = CLICKHOUSE.endpoint();
    ClickHouseEndpoint other =
        new ClickHouseEndpoint(main.url(), main.user(), main.password(), main.database() + "_bf");
    backfillDb = new ClickHouseHttp(other);
    KpiOptions backfillOptions = options.withClickHouse(other);
    StreamExecutionEnvironment batch =
        StreamExecutionEnvironment.getExecutionEnvironment(
            KpiJobMain.flinkConfig(backfillOptions, true));
    batch.setParallelism(2);
    KpiJobMain.backfill(batch, backfillOptions, dir.resolve("in"));

    Map<Key, Row> backfilled = actual(backfillDb);
    assertSameRows(backfilled, expected);
    assertThat(backfilled).isEqualTo(streamed);
    assertThat(rejectedIds(backfillDb))
        .containsExactly(
            "ms-bad-1:invalid_value", "ms-bad-2:invalid_value", "ms-bad-3:invalid_value");
  }

  private static void write(Path file, List<Report> lines) throws Exception {
    StringBuilder b = new StringBuilder();
    for (Report r : lines) {
      b.append("{\"stream\":\"market-stall-counts\",").append(r.json().substring(1)).append('\n');
    }
    Files.writeString(file, b, StandardCharsets.UTF_8);
  }

  /**
   * The market stream from this test's own topic (the broker is shared by the JVM's test classes),
   * decoded and watermarked as the production Kafka sources do, bounded at the offsets present at
   * start so that the job ends and every period becomes final.
   */
  private record TopicSource(String topic, KpiOptions options) implements KpiSources {
    @Override
    public Map<EventStream, DataStream<Envelope>> open(StreamExecutionEnvironment env) {
      KafkaSource<Envelope> source =
          KafkaSource.<Envelope>builder()
              .setBootstrapServers(options.kafkaBootstrap())
              .setTopics(topic)
              .setGroupId("market-itcase")
              .setStartingOffsets(OffsetsInitializer.earliest())
              .setBounded(OffsetsInitializer.latest())
              .setDeserializer(
                  new cn.xingan.kpi.source.EnvelopeDeserializer(
                      EventStream.MARKET_STALL_COUNTS,
                      new EventDecoder(options.maxFuture().toMillis(), options.maxRecordBytes())))
              .build();
      DataStream<Envelope> input =
          env.fromSource(
              source,
              EnvelopeWatermarks.strategy(options.outOfOrderness(), options.idleness()),
              "kafka " + topic);
      return Map.of(EventStream.MARKET_STALL_COUNTS, input);
    }
  }
}
