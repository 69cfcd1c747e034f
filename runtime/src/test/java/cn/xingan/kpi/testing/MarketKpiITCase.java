// kpi_market end to end: two months of market reports go through real Kafka, the streaming job on a
// Flink MiniCluster and the JDBC sink into a real ClickHouse, and every row read back must equal
// what this test computes on its own from the same reports. A backfill of the same reports as JSON
// Lines into another database must give the very same rows.
package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.app.FlinkSettings;
import cn.xingan.kpi.app.Pipelines;
import cn.xingan.kpi.config.ClickHouseEndpoint;
import cn.xingan.kpi.config.EngineOptions;
import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.EventDecoder;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.job.EnvelopeWatermarks;
import cn.xingan.kpi.job.KpiJob;
import cn.xingan.kpi.job.KpiSources;
import cn.xingan.kpi.sink.ClickHouseHttp;
import cn.xingan.kpi.sink.ClickHouseSinks;
import cn.xingan.kpi.testing.MarketReports.Key;
import cn.xingan.kpi.testing.MarketReports.Report;
import cn.xingan.kpi.testing.MarketReports.Row;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
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
    reports = MarketReports.generate();
    // Arrival order: by day, but shuffled within each day (out of order, never late).
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (Report r : MarketReports.sendingOrder(reports, 7)) {
      records.add(KafkaTestClient.record(TOPIC, r.market().id(), r.json()));
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
    Map<Key, Row> expected = MarketReports.expected(reports);
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
        StreamExecutionEnvironment.getExecutionEnvironment(
            FlinkSettings.streaming(EngineOptions.defaults()));
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
            FlinkSettings.batch(EngineOptions.defaults()));
    batch.setParallelism(2);
    Pipelines.backfill(batch, backfillOptions, dir.resolve("in"), false);
    batch.execute("market itcase backfill");

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
