package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.app.FlinkSettings;
import cn.xingan.kpi.config.EngineOptions;
import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.EventDecoder;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.job.EnvelopeWatermarks;
import cn.xingan.kpi.job.KpiJob;
import cn.xingan.kpi.job.KpiSources;
import cn.xingan.kpi.sink.ClickHouseSinks;
import cn.xingan.kpi.source.EnvelopeDeserializer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Prometheus endpoint of a streaming run (CONTRACT.md §5: per stream events in, rejected by
 * reason, duplicates and late; per table rows written and failed inserts), scraped after an input
 * whose counts are known by construction: 100 valid service events, 10 of them sent twice, 4
 * malformed records, then 3 events of a period that is already final.
 */
class MetricsITCase {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final ClickHouseExtension CLICKHOUSE = new ClickHouseExtension();

  private static final String TOPIC = "metrics-itcase-service";

  /** The label as Prometheus shows it: Flink's reporter turns '-' into '_' in label values. */
  private static final String STREAM = "service_transactions";

  private static String event(String id, String time) {
    return """
        {"event_id":"%s","event_time":"%s","transaction_id":"t-%s","service_code":"mortgage-filing",\
        "service_name":"Mortgage filing","department":"natural-resources","county":"ulanhot",\
        "status":"accepted","channel":"online","statutory_days":30,"promised_days":5}"""
        .formatted(id, time, id);
  }

  @Test
  void theEndpointCountsWhatTheInputHolds() throws Exception {
    KAFKA.createTopics(1, TOPIC);
    List<Map.Entry<String, String>> first = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      // 2026-06-01 .. 06-05, an hour apart: one week, one half month
      String time = java.time.Instant.parse("2026-06-01T01:00:00Z").plusSeconds(3600L * i) + "";
      first.add(Map.entry("t-" + i, event("m-" + i, time)));
    }
    for (int i = 0; i < 10; i++) {
      first.add(first.get(i)); // the same event again: a duplicate
    }
    for (int i = 0; i < 4; i++) {
      first.add(Map.entry("bad-" + i, "{not json " + i));
    }
    KAFKA.produceStrings(TOPIC, first);

    int port = freePort();
    KpiOptions options =
        KpiOptions.builder()
            .clickhouse(CLICKHOUSE.endpoint())
            .kafkaBootstrap(KAFKA.bootstrapServers())
            .outOfOrderness(Duration.ZERO)
            .allowedLateness(Duration.ZERO)
            .maxFuture(Duration.ofDays(3650))
            .emitInterval(Duration.ofSeconds(1))
            .sinkBatchInterval(Duration.ofMillis(200))
            .build();
    EngineOptions engine =
        EngineOptions.defaults()
            .withCheckpointInterval(Duration.ofSeconds(1))
            .withMetricsPort(port);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.streaming(engine));
    new KpiJob(new TopicSource(options), new ClickHouseSinks(options), options, false).build(env);
    JobClient job = env.executeAsync("metrics itcase");
    try {
      await(port, "kpi_stream_eventsIn", STREAM, 114);
      await(port, "kpi_stream_duplicates", STREAM, 10);
      Thread.sleep(1500); // the watermark of 06-05 is out: week 05-18..24 is final
      List<Map.Entry<String, String>> late = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        late.add(Map.entry("late-" + i, event("late-" + i, "2026-05-20T02:00:00Z")));
      }
      KAFKA.produceStrings(TOPIC, late);
      await(port, "kpi_stream_eventsIn", STREAM, 117);
      await(port, "kpi_stream_late", STREAM, 3);
      await(port, "kpi_table_rowsWritten", "rejected_events", 7);

      String text = scrape(port);
      assertThat(sum(text, "kpi_stream_eventsIn", STREAM)).isEqualTo(117);
      assertThat(sum(text, "kpi_stream_duplicates", STREAM)).isEqualTo(10);
      assertThat(sum(text, "kpi_stream_late", STREAM)).isEqualTo(3);
      assertThat(sumWhere(text, "kpi_stream_reason_rejected", "reason", "malformed_json"))
          .isEqualTo(4);
      assertThat(sumWhere(text, "kpi_stream_reason_rejected", "reason", "late")).isEqualTo(3);
      assertThat(sum(text, "kpi_table_failedInserts", "kpi_service")).isZero();
      assertThat(sum(text, "kpi_table_rowsWritten", "kpi_service")).isPositive();
      assertThat(text).contains("kpi_table_insertLatencyMs").contains("kpi_stream_watermarkLagMs");
    } finally {
      job.cancel().get();
    }
  }

  // ---- Prometheus text format ----

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static String scrape(int port) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The sum of a metric's samples whose stream or table label is {@code label}. */
  private static long sum(String text, String suffix, String label) {
    long stream = sumWhere(text, suffix, "stream", label);
    return stream != 0 ? stream : sumWhere(text, suffix, "table", label);
  }

  static long sumWhere(String text, String suffix, String key, String value) {
    Pattern line =
        Pattern.compile("^flink_\\w*_" + suffix + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
    double total = 0;
    Matcher m = line.matcher(text);
    while (m.find()) {
      if (m.group(1).contains(key + "=\"" + value + "\"")) {
        total += Double.parseDouble(m.group(2));
      }
    }
    return (long) total;
  }

  private static void await(int port, String suffix, String label, long expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    long seen = -1;
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        last = scrape(port);
        seen = sum(last, suffix, label);
        if (seen >= expected) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // the reporter starts with the cluster
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        suffix
            + "{"
            + label
            + "} reached "
            + seen
            + ", not "
            + expected
            + "; the endpoint's kpi lines:\n"
            + last.lines()
                .filter(l -> l.contains("kpi"))
                .limit(20)
                .reduce("", (a, b) -> a + b + "\n"));
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The service stream from this test's own one-partition topic, as the production source. */
  private record TopicSource(KpiOptions options) implements KpiSources {
    @Override
    public Map<EventStream, DataStream<Envelope>> open(StreamExecutionEnvironment env) {
      KafkaSource<Envelope> source =
          KafkaSource.<Envelope>builder()
              .setBootstrapServers(options.kafkaBootstrap())
              .setTopics(TOPIC)
              .setGroupId("metrics-itcase")
              .setStartingOffsets(OffsetsInitializer.earliest())
              .setDeserializer(
                  new EnvelopeDeserializer(
                      EventStream.SERVICE_TRANSACTIONS,
                      new EventDecoder(options.maxFuture().toMillis(), options.maxRecordBytes())))
              .build();
      return Map.of(
          EventStream.SERVICE_TRANSACTIONS,
          env.fromSource(
              source,
              EnvelopeWatermarks.strategy(options.outOfOrderness(), options.idleness()),
              "kafka " + TOPIC));
    }
  }
}
