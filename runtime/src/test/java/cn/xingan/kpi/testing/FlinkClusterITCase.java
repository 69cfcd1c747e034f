// The deployment as a user runs it: a Flink standalone session cluster (a JobManager and two
// TaskManagers, each its own JVM, started from Flink's own entry points on the classpath of a Flink
// distribution's lib/), the shaded job jar submitted with Flink's CLI frontend (`flink run`) as the
// only user code, a few hundred service events through the test's Kafka broker into ClickHouse as
// the least-privileged kpi_writer. The weekly counts are worked out here from the events. A missing
// or conflicting dependency of the jar fails this test (and ShadedJarTest before it).
package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.config.ClickHouseEndpoint;
import cn.xingan.kpi.local.ClickHouseServer;
import cn.xingan.kpi.local.KpiUsers.Role;
import cn.xingan.kpi.local.StandaloneFlinkCluster;
import cn.xingan.kpi.sink.ClickHouseHttp;
import cn.xingan.kpi.sink.SchemaInstaller;
import cn.xingan.kpi.testing.ServiceTransactions.Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FlinkClusterITCase {
  private static final String DB = "kpi_flink_cluster";
  private static final int EVENTS = 300;
  private static final int PARTITIONS = 2;

  /** Mondays of the three weeks the events fall in (local dates, Asia/Shanghai). */
  private static final List<LocalDate> WEEKS =
      List.of(LocalDate.of(2025, 3, 3), LocalDate.of(2025, 3, 10), LocalDate.of(2025, 3, 17));

  private static final Duration RESULT_TIMEOUT = Duration.ofSeconds(60);
  private static final List<String> COUNTIES = ServiceTransactions.COUNTIES;

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  private static ClickHouseServer clickhouse;
  private static CompletableFuture<StandaloneFlinkCluster> starting;
  private static StandaloneFlinkCluster flink;

  @AfterAll
  static void stopEverything() {
    if (flink == null && starting != null) {
      flink = starting.exceptionally(failed -> null).join(); // the test failed before it joined
    }
    if (flink != null) {
      flink.close();
    }
    if (clickhouse != null) {
      clickhouse.close();
    }
  }

  @Test
  void theShadedJarOnAStandaloneClusterOfTwoTaskManagersWritesTheWeeksCounts() throws Exception {
    assertThat(BuiltArtifacts.flinkLib())
        .as("the cluster's classpath: Flink only, so the job jar must bring the rest")
        .noneMatch(
            jar ->
                jar.getFileName()
                    .toString()
                    .matches("(kpi-|flink-connector-(kafka|jdbc)|kafka-clients|clickhouse).*"));
    long t0 = System.nanoTime();
    starting =
        CompletableFuture.supplyAsync(
            () -> {
              long start = System.nanoTime();
              StandaloneFlinkCluster c =
                  StandaloneFlinkCluster.builder(BuiltArtifacts.flinkLib()).start();

              System.err.printf(
                  "[FlinkClusterITCase] JobManager and 2 TaskManagers up in %d ms%n",
                  ms(start, System.nanoTime()));
              return c;
            });
    clickhouse = ClickHouseServer.builder().kpiUsers(DB).timezone("Asia/Shanghai").launch();
    ClickHouseHttp admin = new ClickHouseHttp(clickhouse.endpoint(DB));
    SchemaInstaller.install(admin); // what `bin/kpi init-db` does, as the admin
    ClickHouseEndpoint writer = clickhouse.endpoint(DB, Role.WRITER);

    List<Event> events = events();
    String group = "it-flink-cluster-" + UUID.randomUUID();
    produce(events, group);
    flink = starting.join();
    long t1 = System.nanoTime();

    String jobId =
        flink.submit(
            BuiltArtifacts.shadedJobJar(),
            List.of(
                "--clickhouse-url",
                writer.url(),
                "--clickhouse-user",
                writer.user(),
                "--database",
                DB,
                "--kafka-bootstrap",
                KAFKA.bootstrapServers(),
                "--kafka-group-id",
                group,
                "--emit-interval",
                "1s"),
            // The password goes in the environment: Flink's client logs its program arguments.
            Map.of("CLICKHOUSE_PASSWORD", writer.password()),
            Duration.ofSeconds(90));
    long t2 = System.nanoTime();

    Map<String, Map<String, Long>> expected = expectedWeeks(events);
    Map<String, Map<String, Long>> actual = awaitWeeks(admin, jobId, expected);
    long t3 = System.nanoTime();
    assertThat(actual).as("final week rows of the league and every county").isEqualTo(expected);
    assertThat(admin.query("SELECT count() FROM rejected_events").strip())
        .as("rejected events")
        .isEqualTo("0");
    assertThat(flink.rest().taskManagersOf(jobId))
        .as("TaskManagers running the job's tasks")
        .hasSize(2);
    assertThat(flink.rest().jobState(jobId)).isEqualTo("RUNNING");
    flink.rest().cancel(jobId);
    System.err.printf(
        "[FlinkClusterITCase] cluster up and %d events produced %d ms, flink run %d ms,"
            + " results %d ms after submission%n",
        events.size(), ms(t0, t1), ms(t1, t2), ms(t2, t3));

    assertNoLogHasThePassword(writer.password());
  }

  // ---- the events and what they must give ----

  /**
   * Event i falls in week i % 3, on day (i / 3) % 7 of it, in county i % 8; every fifth is a
   * rejection, two in five are acceptances, the rest completions (accepted two hours earlier).
   */
  private static List<Event> events() {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      OffsetDateTime time =
          WEEKS
              .get(i % 3)
              .plusDays((i / 3) % 7)
              .atTime(8 + i % 10, 15)
              .atOffset(ZoneOffset.ofHours(8));
      String status = i % 5 == 0 ? "rejected" : i % 5 <= 2 ? "accepted" : "completed";
      events.add(event("fc-" + i, time, COUNTIES.get(i % COUNTIES.size()), status));
    }
    return events;
  }

  private static Event event(String id, OffsetDateTime time, String county, String status) {
    boolean completed = status.equals("completed");
    OffsetDateTime accepted = time.minusHours(2);
    return new Event(
        id,
        time.toString(),
        time.toInstant(),
        "tx-" + id,
        ServiceTransactions.SERVICES.get(0),
        county,
        status,
        "online",
        completed ? accepted.toString() : null,
        completed ? accepted.toInstant() : null,
        completed ? 0 : null,
        null);
  }

  /** By "week start scope key": the counts of accepted, completed, rejected and all events. */
  private static Map<String, Map<String, Long>> expectedWeeks(List<Event> events) {
    Map<String, Map<String, Long>> rows = new TreeMap<>();
    for (Event e : events) {
      LocalDate monday = WEEKS.get(WEEKS.size() - 1);
      for (LocalDate week : WEEKS) {
        if (!e.eventTime().atOffset(ZoneOffset.ofHours(8)).toLocalDate().isBefore(week)) {
          monday = week;
        }
      }
      for (String scopeKey : List.of("league ", "county " + e.county())) {
        Map<String, Long> row =
            rows.computeIfAbsent(
                monday + " " + scopeKey,
                k ->
                    new TreeMap<>(
                        Map.of("accepted", 0L, "completed", 0L, "rejected", 0L, "events", 0L)));
        row.merge(e.status(), 1L, Long::sum);
        row.merge("events", 1L, Long::sum);
      }
    }
    return rows;
  }

  // ---- Kafka in, ClickHouse out ----

  /**
   * The events in time order (so none is late), keyed by transaction, then on each partition one
   * event seven weeks later that moves the watermark past the three weeks' end plus the allowed
   * lateness, so their rows become final.
   */
  private static void produce(List<Event> events, String group) {
    String topic = ServiceTransactions.TOPIC;
    KAFKA.createTopics(PARTITIONS, topic, "project-progress", "market-stall-counts");
    for (String t : List.of(topic, "project-progress", "market-stall-counts")) {
      KAFKA.client().startGroupAtTheEnd(group, t);
    }
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    List<Event> inTimeOrder = new ArrayList<>(events);
    inTimeOrder.sort(java.util.Comparator.comparing(Event::eventTime));
    for (Event e : inTimeOrder) {
      records.add(KafkaTestClient.record(topic, e.transactionId(), e.json(null)));
    }
    OffsetDateTime later = OffsetDateTime.of(2025, 5, 5, 9, 0, 0, 0, ZoneOffset.ofHours(8));
    for (int p = 0; p < PARTITIONS; p++) {
      Event sentinel = event("fc-sentinel-" + p, later, "ulanhot", "accepted");
      records.add(
          new ProducerRecord<>(
              topic,
              p,
              sentinel.transactionId().getBytes(StandardCharsets.UTF_8),
              sentinel.json(null).getBytes(StandardCharsets.UTF_8)));
    }
    KAFKA.produce(topic, records);
  }

  /**
   * Polls the final week rows until they equal the expected ones or the job fails or time is up.
   */
  private static Map<String, Map<String, Long>> awaitWeeks(
      ClickHouseHttp http, String jobId, Map<String, Map<String, Long>> expected) throws Exception {
    long deadline = System.nanoTime() + RESULT_TIMEOUT.toNanos();
    Map<String, Map<String, Long>> rows = Map.of();
    while (System.nanoTime() < deadline) {
      String state = flink.rest().jobState(jobId);
      if (state.equals("FAILED") || state.equals("CANCELED")) {
        throw new AssertionError(
            "the job is " + state + ": " + flink.rest().rootException(jobId) + logHint());
      }
      rows = weekRows(http);
      if (rows.equals(expected)) {
        return rows;
      }
      Thread.sleep(500);
    }
    String root = flink.rest().rootException(jobId);
    System.err.println("[FlinkClusterITCase] last root exception: " + root + logHint());
    return rows;
  }

  private static Map<String, Map<String, Long>> weekRows(ClickHouseHttp http) {
    Map<String, Map<String, Long>> rows = new TreeMap<>();
    for (Map<String, Object> r :
        http.queryJson(
            "SELECT period_start, scope, scope_key, accepted, completed, rejected, events"
                + " FROM kpi_service FINAL WHERE period = 'week' AND is_final = 1"
                + " AND scope IN ('league', 'county') AND period_start < '2025-04-01'")) {
      Map<String, Long> row = new TreeMap<>();
      for (String column : List.of("accepted", "completed", "rejected", "events")) {
        row.put(column, ((Number) r.get(column)).longValue());
      }
      rows.put(r.get("period_start") + " " + r.get("scope") + " " + r.get("scope_key"), row);
    }
    return rows;
  }

  // ---- secrets ----

  private static void assertNoLogHasThePassword(String password) throws Exception {
    List<Path> logs;
    try (Stream<Path> files = Files.list(flink.logDir())) {
      logs = new ArrayList<>(files.toList());
    }
    for (String name : List.of("clickhouse-server.log", "clickhouse-server.err.log")) {
      logs.add(clickhouse.folder().resolve(name));
    }
    assertThat(logs)
        .as("log files of the JobManager, both TaskManagers and the client")
        .hasSizeGreaterThan(6);
    String client = Files.readString(flink.logDir().resolve("client-1.log"));
    assertThat(client).as("the client's log").contains("Program Arguments");
    for (Path log : logs) {
      if (Files.exists(log)) {
        assertThat(Files.readString(log, StandardCharsets.UTF_8))
            .as("log " + log)
            .doesNotContain(password);
      }
    }
  }

  private static String logHint() {
    return "\n(Flink logs: " + flink.logDir() + ")";
  }

  private static long ms(long from, long to) {
    return (to - from) / 1_000_000;
  }
}
