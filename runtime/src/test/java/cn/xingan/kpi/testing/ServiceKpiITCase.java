// The backbone's acceptance test: about a thousand service-transactions events go through the real
// pipeline — Kafka in, Flink at parallelism 2, ClickHouse out — and every final kpi_service row
// must
// be what CONTRACT.md §2–3 says, computed by an oracle of the test's own. Then the same events, as
// backfill files in another order, must give the very same rows, and again on a second run.
package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.app.FlinkSettings;
import cn.xingan.kpi.app.Pipelines;
import cn.xingan.kpi.config.ClickHouseEndpoint;
import cn.xingan.kpi.config.EngineOptions;
import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.job.KpiJob;
import cn.xingan.kpi.sink.ClickHouseHttp;
import cn.xingan.kpi.sink.ClickHouseSinks;
import cn.xingan.kpi.sink.SchemaInstaller;
import cn.xingan.kpi.source.KafkaSources;
import cn.xingan.kpi.testing.ServiceKpiOracle.Expected;
import cn.xingan.kpi.testing.ServiceKpiOracle.Key;
import cn.xingan.kpi.testing.ServiceTransactions.Event;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceKpiITCase {
  static final long SEED = 20260615L;
  private static final int PARALLELISM = 2;
  private static final long JOB_TIMEOUT_SECONDS = 120;

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final ClickHouseExtension CLICKHOUSE = new ClickHouseExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(PARALLELISM)
              .build());

  private static final List<Event> EVENTS = ServiceTransactions.generate(SEED);

  private static final String SELECT_FINAL =
      "SELECT period, period_start, period_end, scope, scope_key, accepted, completed, rejected,"
          + " completed_on_time, completed_online, completed_zero_visit, processing_hours_sum,"
          + " processing_hours_max, promised_days_sum, statutory_days_sum,"
          + " satisfaction_responses, satisfaction_positive, events, is_final, version"
          + " FROM kpi_service FINAL";

  /** The final rows of the streaming run, read once; the backfill test compares against them. */
  private static Map<Key, Map<String, Object>> streamed;

  @Test
  @Order(1)
  void streamingRunWritesTheContractsFinalRowsForEveryScope() throws Exception {
    Map<Key, Map<String, Object>> rows = streamedRows();

    // The league and county rows as a dashboard reads them, then every scope.
    Map<Key, Map<String, Object>> leagueAndCounty =
        readFinal(CLICKHOUSE.http(), " WHERE scope IN ('league', 'county')");
    Map<Key, Expected> expected = ServiceKpiOracle.expected(EVENTS);
    assertMatchesOracle(
        leagueAndCounty, filterScopes(expected, List.of("league", "county")), "league/county");
    assertThat(countByScope(rows.keySet()))
        .as("final rows per scope")
        .isEqualTo(countByScope(expected.keySet()));
    assertMatchesOracle(rows, expected, "streaming run");

    assertThat(CLICKHOUSE.http().query("SELECT count() FROM rejected_events").trim())
        .as("rejected_events after the streaming run: no event may be late or malformed")
        .isEqualTo("0");
  }

  @Test
  @Order(2)
  void backfillOfTheSameEventsGivesTheStreamingRowsAndRepeatsIdempotently(@TempDir Path dir)
      throws Exception {
    Map<Key, Map<String, Object>> fromStream = streamedRows();
    BackfillInput input = writeBackfillFiles(dir);

    ClickHouseEndpoint main = CLICKHOUSE.endpoint();
    String database =
        "kpi_it_backfill_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    ClickHouseEndpoint other =
        new ClickHouseEndpoint(main.url(), main.user(), main.password(), database);
    ClickHouseHttp http = new ClickHouseHttp(other);
    try {
      SchemaInstaller.install(other);

      runBackfill(other, dir, "first");
      Map<Key, Map<String, Object>> first = readFinal(http, "");
      assertMatchesOracle(first, ServiceKpiOracle.expected(EVENTS), "backfill");
      assertSameRows(first, fromStream, "backfill vs streaming run");
      assertThat(rejections(http)).containsExactlyInAnyOrderElementsOf(input.rejections());

      runBackfill(other, dir, "second");
      assertSameRows(readFinal(http, ""), fromStream, "second backfill vs streaming run");
      List<List<Object>> twice = new ArrayList<>(input.rejections());
      twice.addAll(input.rejections());
      assertThat(rejections(http))
          .as("rejected_events is a log: the second run adds its rejections again")
          .containsExactlyInAnyOrderElementsOf(twice);
    } finally {
      http.dropDatabaseIfExists();
    }
  }

  // ---- the streaming run ----

  private static synchronized Map<Key, Map<String, Object>> streamedRows() throws Exception {
    if (streamed != null) {
      return streamed;
    }
    String group = "it-service-kpi-" + UUID.randomUUID();
    KAFKA.createTopics(PARALLELISM, ServiceTransactions.TOPIC);
    // The topic is shared by the JVM's test classes: the fresh group reads only our records.
    KAFKA.client().startGroupAtTheEnd(group, ServiceTransactions.TOPIC);
    long t0 = System.nanoTime();
    // Every tenth event is sent twice, as a producer's retry would: it must count once.
    List<Map.Entry<String, String>> records = new java.util.ArrayList<>();
    var order = ServiceTransactions.sendingOrder(EVENTS, SEED);
    for (int i = 0; i < order.size(); i++) {
      var record = Map.entry(order.get(i).transactionId(), order.get(i).json(null));
      records.add(record);
      if (i % 10 == 0) {
        records.add(record);
      }
    }
    KAFKA.produceStrings(ServiceTransactions.TOPIC, records);
    long t1 = System.nanoTime();

    KpiOptions options = options(CLICKHOUSE.endpoint()).kafkaGroupId(group).build();
    Configuration conf = FlinkSettings.streaming(EngineOptions.defaults());
    // The job's restart strategy retries for ever; here a failure (a bug) should fail the test at
    // once with its cause instead of at the timeout.
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(PARALLELISM);
    new KpiJob(
            new KafkaSources(options, List.of(EventStream.SERVICE_TRANSACTIONS), true),
            new ClickHouseSinks(options),
            options,
            false)
        .build(env);
    awaitJob(env.executeAsync("ServiceKpiITCase streaming"), "streaming job");
    long t2 = System.nanoTime();
    streamed = readFinal(CLICKHOUSE.http(), "");
    String rolling =
        CLICKHOUSE.http().query("SELECT count() FROM kpi_service WHERE is_final = 0").trim();
    System.err.printf(
        "[ServiceKpiITCase] produced %d events in %d ms; streaming job %d ms; %d final rows,"
            + " %s rolling rows before FINAL%n",
        EVENTS.size(), ms(t0, t1), ms(t1, t2), streamed.size(), rolling);
    return streamed;
  }

  // ---- the backfill runs ----

  /**
   * The rejections the files must cause, as rows (source, partition, offset, event_id, reason,
   * raw).
   */
  private record BackfillInput(List<List<Object>> rejections) {}

  /**
   * The events as JSON Lines in a shuffled order over three files, plus a line of a stream this
   * contract does not know and a malformed line, at known line numbers, and 60 repeats of events of
   * the first two files at the end of the third.
   */
  private static BackfillInput writeBackfillFiles(Path dir) throws Exception {
    List<String> lines = new ArrayList<>();
    for (Event e : EVENTS) {
      lines.add(e.json(ServiceTransactions.TOPIC));
    }
    Collections.shuffle(lines, new Random(SEED + 1));
    int third = lines.size() / 3;
    List<String> a = new ArrayList<>(lines.subList(0, third));
    List<String> b = new ArrayList<>(lines.subList(third, 2 * third));
    List<String> c = new ArrayList<>(lines.subList(2 * third, lines.size()));
    // A stream the contract does not know (a typo of a real one): reported, never skipped.
    String market =
        "{\"stream\":\"market-stall-count\",\"event_id\":\"mk-00001\","
            + "\"event_time\":\"2026-06-20T19:00:00+08:00\",\"market_id\":\"tuanjie-night\","
            + "\"market_name\":\"团结夜市\",\"county\":\"ulanhot\",\"market_type\":\"night\","
            + "\"status\":\"operating\",\"stalls_total\":120,\"stalls_occupied\":96}";
    String malformed =
        "{\"stream\":\"service-transactions\",\"event_id\":\"ev-broken\",\"event_time\":";
    b.add(4, market); // line 5 of part-b
    c.add(9, malformed); // line 10 of part-c
    // Producers retry: repeats of events of the other files, counted once (the oracle has none).
    for (int i = 0; i < 30; i++) {
      c.add(a.get(i * 7));
      c.add(b.get(5 + i * 11));
    }
    Path fileA = dir.resolve("part-a.jsonl");
    Path fileB = dir.resolve("part-b.jsonl");
    Path fileC = dir.resolve("part-c.jsonl");
    for (Map.Entry<Path, List<String>> f : Map.of(fileA, a, fileB, b, fileC, c).entrySet()) {
      Files.writeString(f.getKey(), String.join("\n", f.getValue()) + "\n", StandardCharsets.UTF_8);
    }
    return new BackfillInput(
        List.of(
            List.<Object>of(fileB.toString(), 0L, 5L, "mk-00001", "unknown_stream", market),
            List.<Object>of(fileC.toString(), 0L, 10L, "", "malformed_json", malformed)));
  }

  private static void runBackfill(ClickHouseEndpoint endpoint, Path dir, String which)
      throws Exception {
    KpiOptions options = options(endpoint).build();
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            FlinkSettings.batch(EngineOptions.defaults().withParallelism(PARALLELISM)));
    long t0 = System.nanoTime();
    Pipelines.backfill(env, options, dir, false);
    env.execute("backfill " + which);
    System.err.printf("[ServiceKpiITCase] %s backfill %d ms%n", which, ms(t0, System.nanoTime()));
  }

  private static List<List<Object>> rejections(ClickHouseHttp http) {
    return http
        .queryJson("SELECT source, partition, `offset`, event_id, reason, raw FROM rejected_events")
        .stream()
        .map(
            r ->
                List.<Object>of(
                    r.get("source"),
                    ((Number) r.get("partition")).longValue(),
                    ((Number) r.get("offset")).longValue(),
                    r.get("event_id"),
                    r.get("reason"),
                    r.get("raw")))
        .toList();
  }

  // ---- options, jobs, reading ----

  private static KpiOptions.Builder options(ClickHouseEndpoint ch) {
    return KpiOptions.builder()
        .clickhouse(ch)
        .kafkaBootstrap(KAFKA.bootstrapServers())
        .emitInterval(Duration.ofSeconds(1))
        .outOfOrderness(Duration.ofHours(1))
        // The events run to 2028 and the machine's clock is earlier: without this they would be
        // rejected as `future` in the streaming run.
        .maxFuture(Duration.ofDays(3650));
  }

  private static void awaitJob(JobClient job, String what) throws Exception {
    try {
      job.getJobExecutionResult().get(JOB_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      job.cancel().get(30, TimeUnit.SECONDS);
      throw new AssertionError(what + " did not finish within " + JOB_TIMEOUT_SECONDS + " s", e);
    }
  }

  /** Final rows by key; fails when FINAL leaves two rows for one key. */
  private static Map<Key, Map<String, Object>> readFinal(ClickHouseHttp http, String where) {
    Map<Key, Map<String, Object>> rows = new TreeMap<>();
    for (Map<String, Object> row : http.queryJson(SELECT_FINAL + where)) {
      Key key =
          new Key(
              (String) row.get("period"),
              (String) row.get("scope"),
              (String) row.get("scope_key"),
              LocalDate.parse((String) row.get("period_start")),
              LocalDate.parse((String) row.get("period_end")));
      Map<String, Object> previous = rows.put(key, row);
      assertThat(previous).as("a second FINAL row for " + key).isNull();
    }
    return rows;
  }

  // ---- comparisons ----

  private static void assertMatchesOracle(
      Map<Key, Map<String, Object>> actual, Map<Key, Expected> expected, String what) {
    List<String> problems = new ArrayList<>();
    TreeSet<Key> missing = new TreeSet<>(expected.keySet());
    missing.removeAll(actual.keySet());
    TreeSet<Key> extra = new TreeSet<>(actual.keySet());
    extra.removeAll(expected.keySet());
    missing.forEach(k -> problems.add("missing row " + k));
    extra.forEach(k -> problems.add("unexpected row " + k + ": " + actual.get(k)));
    for (Map.Entry<Key, Expected> e : expected.entrySet()) {
      Map<String, Object> row = actual.get(e.getKey());
      if (row != null) {
        compare(e.getKey(), e.getValue(), row, problems);
      }
    }
    assertThat(problems)
        .as(
            "%s: %d of %d expected rows differ; first ones:%n%s",
            what,
            problems.size(),
            expected.size(),
            problems.stream().limit(25).collect(Collectors.joining("\n")))
        .isEmpty();
  }

  private static void compare(Key key, Expected x, Map<String, Object> row, List<String> problems) {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("accepted", x.accepted);
    counts.put("completed", x.completed);
    counts.put("rejected", x.rejected);
    counts.put("completed_on_time", x.completedOnTime);
    counts.put("completed_online", x.completedOnline);
    counts.put("completed_zero_visit", x.completedZeroVisit);
    counts.put("promised_days_sum", x.promisedDaysSum);
    counts.put("statutory_days_sum", x.statutoryDaysSum);
    counts.put("satisfaction_responses", x.satisfactionResponses);
    counts.put("satisfaction_positive", x.satisfactionPositive);
    counts.put("events", x.events);
    counts.put("is_final", 1L);
    counts.put("version", 2 * x.events + 1);
    counts.forEach(
        (column, want) -> {
          long got = ((Number) row.get(column)).longValue();
          if (got != want) {
            problems.add(key + ": " + column + " = " + got + ", expected " + want);
          }
        });
    closeTo(key, "processing_hours_sum", x.processingHoursSum, row, problems);
    closeTo(key, "processing_hours_max", x.processingHoursMax, row, problems);
  }

  private static void closeTo(
      Key key, String column, double want, Map<String, Object> row, List<String> problems) {
    double got = new BigDecimal(row.get(column).toString()).doubleValue();
    if (Math.abs(got - want) > 1e-9 * Math.abs(want)) {
      problems.add(key + ": " + column + " = " + got + ", expected " + want + " (within 1e-9)");
    }
  }

  /** Every column of every row identical (updated_at is not read). */
  private static void assertSameRows(
      Map<Key, Map<String, Object>> actual, Map<Key, Map<String, Object>> expected, String what) {
    List<String> problems = new ArrayList<>();
    for (Key k : new TreeSet<>(expected.keySet())) {
      if (!actual.containsKey(k)) {
        problems.add("missing " + k);
      } else if (!actual.get(k).equals(expected.get(k))) {
        problems.add(k + ": " + actual.get(k) + " instead of " + expected.get(k));
      }
    }
    for (Key k : actual.keySet()) {
      if (!expected.containsKey(k)) {
        problems.add("unexpected " + k + ": " + actual.get(k));
      }
    }
    assertThat(problems)
        .as(
            "%s: %d rows differ; first ones:%n%s",
            what, problems.size(), problems.stream().limit(25).collect(Collectors.joining("\n")))
        .isEmpty();
  }

  private static Map<Key, Expected> filterScopes(Map<Key, Expected> rows, List<String> scopes) {
    Map<Key, Expected> kept = new TreeMap<>();
    rows.forEach(
        (k, v) -> {
          if (scopes.contains(k.scope())) {
            kept.put(k, v);
          }
        });
    return kept;
  }

  private static Map<String, Long> countByScope(java.util.Collection<Key> keys) {
    return keys.stream()
        .collect(Collectors.groupingBy(Key::scope, TreeMap::new, Collectors.counting()));
  }

  private static long ms(long fromNanos, long toNanos) {
    return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
  }
}
