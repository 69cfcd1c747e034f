// The shared machinery of the fault ITCases: produce every scenario's events into Kafka for a fresh
// consumer group, run the real job (Kafka sources, ClickHouse sinks with dead letters) on the
// MiniCluster with a stage injected after each source, and compare ClickHouse with the oracles.
package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.app.FlinkSettings;
import cn.xingan.kpi.config.EngineOptions;
import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.job.KpiJob;
import cn.xingan.kpi.local.LocalMetrics;
import cn.xingan.kpi.sink.ClickHouseHttp;
import cn.xingan.kpi.sink.ClickHouseSinks;
import cn.xingan.kpi.source.KafkaSources;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One fault test's run of the KPI job over some {@link StreamScenario}s.
 *
 * <pre>{@code
 * FaultHarness h = new FaultHarness(KAFKA, CLICKHOUSE, FaultHarness.standardScenarios());
 * h.produceScenarios();
 * KpiOptions o = h.options().build();
 * JobClient job = h.start(FaultHarness.streamingConfig(), o, s -> new Throttle(10), "name");
 * ... inject the fault ...
 * FaultHarness.await(job, Duration.ofMinutes(2));
 * h.assertFinalRowsMatchOracles("after the fault");
 * }</pre>
 *
 * <p>A stream joins every fault test by adding its scenario to {@link #standardScenarios()}.
 */
final class FaultHarness {
  static final int PARALLELISM = 2;

  /** Records up to this size can be produced (the fuzz test sends one of 10 MiB). */
  static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);

  /** The job's watermark bound ({@code --out-of-orderness}). */
  static final Duration OUT_OF_ORDERNESS = Duration.ofHours(1);

  /** The job's zone (the default {@code --zone}): Date columns hold its local dates. */
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

  private final KafkaExtension kafka;
  private final ClickHouseExtension clickhouse;
  private final List<StreamScenario> scenarios;
  private final String group = "it-faults-" + UUID.randomUUID();

  FaultHarness(
      KafkaExtension kafka, ClickHouseExtension clickhouse, List<StreamScenario> scenarios) {
    this.kafka = kafka;
    this.clickhouse = clickhouse;
    this.scenarios = scenarios;
    List<String> topics = new ArrayList<>(topics());
    topics.add(KpiOptions.TOPIC_REJECTED);
    topics.add(KpiOptions.TOPIC_ALERTS);
    kafka.createTopics(PARALLELISM, topics.toArray(new String[0]));
    startGroupAtTheEnd();
  }

  /** A MiniCluster of one TaskManager with {@link #PARALLELISM} slots and {@link LocalMetrics}. */
  static MiniClusterExtension miniCluster() {
    return new MiniClusterExtension(
        new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(LocalMetrics.addTo(new Configuration()))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(PARALLELISM)
            .build());
  }

  /**
   * One scenario per stream the job processes ({@code Pipelines.STREAMS}); the fault tests run them
   * all at once, each on its own topic.
   */
  static List<StreamScenario> standardScenarios() {
    return List.of(
        ServiceScenario.standard(), MarketScenario.standard(), ProjectScenario.standard());
  }

  List<StreamScenario> scenarios() {
    return scenarios;
  }

  /** How many records {@link #produceScenarios()} sends. */
  int scenarioRecords() {
    return scenarios.stream().mapToInt(s -> s.records().size()).sum();
  }

  List<String> topics() {
    return scenarios.stream().map(s -> s.stream().topic()).toList();
  }

  /** Sends every scenario's records to its topic; returns where each landed, in order. */
  Map<StreamScenario, List<RecordMetadata>> produceScenarios() {
    Map<StreamScenario, List<RecordMetadata>> sent = new LinkedHashMap<>();
    for (StreamScenario s : scenarios) {
      String topic = s.stream().topic();
      sent.put(
          s,
          produce(
              s.records().stream()
                  .map(r -> KafkaTestClient.record(topic, r.getKey(), r.getValue()))
                  .toList()));
    }
    return sent;
  }

  /**
   * Sends records (acks=all, idempotent, up to {@link #MAX_MESSAGE_BYTES} each) and returns their
   * partitions and offsets in order, once all are acknowledged.
   */
  List<RecordMetadata> produce(List<ProducerRecord<byte[], byte[]>> records) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(MAX_MESSAGE_BYTES));
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(4L * MAX_MESSAGE_BYTES));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(SEND_TIMEOUT.toMillis()));
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
      for (ProducerRecord<byte[], byte[]> r : records) {
        sent.add(producer.send(r));
      }
      producer.flush();
      List<RecordMetadata> acked = new ArrayList<>(sent.size());
      for (Future<RecordMetadata> f : sent) {
        acked.add(f.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
      }
      return acked;
    } catch (Exception e) {
      throw new IllegalStateException(
          "could not produce " + records.size() + " records to " + kafka.bootstrapServers(), e);
    }
  }

  /** Lets the topics take records of up to {@link #MAX_MESSAGE_BYTES} (the broker's is 1 MiB). */
  void allowLargeRecords() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
      for (String topic : topics()) {
        changes.put(
            new ConfigResource(ConfigResource.Type.TOPIC, topic),
            List.of(
                new AlterConfigOp(
                    new ConfigEntry("max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES)),
                    AlterConfigOp.OpType.SET)));
      }
      admin.incrementalAlterConfigs(changes).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not raise max.message.bytes of " + topics(), e);
    }
  }

  /**
   * The job's options: this run's consumer group, rolling rows every second, a 1 h watermark bound
   * (the scenarios' sending orders stay within it), a far max-future (the standard events run to
   * 2028), small sink batches; the builder changes more.
   */
  KpiOptions.Builder options() {
    return KpiOptions.builder()
        .clickhouse(clickhouse.endpoint())
        .kafkaBootstrap(kafka.bootstrapServers())
        .kafkaGroupId(group)
        .emitInterval(Duration.ofSeconds(1))
        .outOfOrderness(OUT_OF_ORDERNESS)
        .maxFuture(Duration.ofDays(3650))
        .sinkBatchRows(2000)
        .sinkBatchInterval(Duration.ofMillis(200));
  }

  /** The engine of the fault runs: checkpoints every 500 ms. */
  static EngineOptions engine() {
    return EngineOptions.defaults().withCheckpointInterval(Duration.ofMillis(500));
  }

  /**
   * Submits the job as {@code bin/kpi run} wires it, but with bounded Kafka sources (they stop at
   * the offsets current at start, and the end of input makes every period final) — ClickHouse sinks
   * with the dead-letter topic — with {@code stage}'s map after each source.
   */
  JobClient start(
      Configuration conf,
      KpiOptions options,
      Function<EventStream, MapFunction<Envelope, Envelope>> stage,
      String name)
      throws Exception {
    return start(conf, options, stage, name, true);
  }

  /** As above; with {@code bounded} false, the sources read on until the job is cancelled. */
  JobClient start(
      Configuration conf,
      KpiOptions options,
      Function<EventStream, MapFunction<Envelope, Envelope>> stage,
      String name,
      boolean bounded)
      throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(PARALLELISM);
    List<EventStream> streams = scenarios.stream().map(StreamScenario::stream).toList();
    new KpiJob(
            new InputStage(new KafkaSources(options, streams, bounded), stage),
            new ClickHouseSinks(options, true),
            options,
            false)
        .build(env);
    return env.executeAsync(name);
  }

  /**
   * Sends each scenario's {@link StreamScenario#eventAt} record stamped {@link
   * StreamScenario#sentinelTime()} to every partition of its topic, after everything sent so far:
   * in an unbounded run, once the job has read them the watermark passes every earlier period and
   * their rows become final.
   */
  void produceWatermarkSentinels() {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (StreamScenario s : scenarios) {
      for (int p = 0; p < PARALLELISM; p++) {
        Map.Entry<String, String> e = s.eventAt(s.sentinelTime(), "watermark-sentinel-" + p);
        records.add(
            new ProducerRecord<>(
                s.stream().topic(),
                p,
                e.getKey().getBytes(StandardCharsets.UTF_8),
                e.getValue().getBytes(StandardCharsets.UTF_8)));
      }
    }
    produce(records);
  }

  /**
   * Waits until every scenario's table holds (with FINAL) as many final rows as its oracle expects
   * and its {@link StreamScenario#otherProblems} after the sentinels are gone (or the time is up:
   * the checks then tell what is wrong), for an unbounded run that never ends by itself.
   */
  void awaitFinalRowCounts(JobClient job, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (StreamScenario s : scenarios) {
      int want = s.expectedFinalRows().size();
      long got;
      while ((got = rowCount(s.table(), "FINAL WHERE is_final = 1")) < want) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              s.table() + " holds " + got + " final rows after " + timeout + ", expected " + want);
        }
        assertThat(job.getJobStatus().get().isGloballyTerminalState())
            .as("job %s ended before writing the final rows", job.getJobID())
            .isFalse();
        Thread.sleep(200);
      }
    }
    for (StreamScenario s : scenarios) {
      while (!s.otherProblems(http(), watermarkAfterSentinel(s)).isEmpty()
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
    }
  }

  /** Where the job's watermark stops on a scenario's input once its sentinels are read. */
  private static Instant watermarkAfterSentinel(StreamScenario s) {
    return s.sentinelTime().minus(OUT_OF_ORDERNESS).minusMillis(1);
  }

  /** Waits for the job to finish; cancels it and fails when it does not in time. */
  static JobExecutionResult await(JobClient job, Duration timeout) throws Exception {
    try {
      return job.getJobExecutionResult().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      job.cancel().get(30, TimeUnit.SECONDS);
      throw new AssertionError("job " + job.getJobID() + " did not finish within " + timeout, e);
    }
  }

  /** Flink's configuration of a streaming run as bin/kpi run has it, on {@link #engine()}. */
  static Configuration streamingConfig() {
    return streamingConfig(engine());
  }

  static Configuration streamingConfig(EngineOptions engine) {
    return FlinkSettings.streaming(engine);
  }

  ClickHouseHttp http() {
    return clickhouse.http();
  }

  // ---- checks ----

  /**
   * Every scenario's table read with FINAL holds exactly the oracle's rows: no key missing, none
   * extra, every column but {@code updated_at} equal.
   */
  void assertFinalRowsMatchOracles(String what) {
    for (StreamScenario s : scenarios) {
      assertFinalRowsMatchOracle(s, what, "", null);
    }
  }

  /**
   * As above after an unbounded run ended by {@link #produceWatermarkSentinels()}: the rows of
   * periods that end before a scenario's sentinel (the sentinel's own rows stay rolling and are not
   * compared), and the other results with event-time rules run up to the watermark the sentinels
   * moved the job to.
   */
  void assertFinalRowsBeforeSentinelsMatchOracles(String what) {
    for (StreamScenario s : scenarios) {
      LocalDate sentinelDay = s.sentinelTime().atZone(ZONE).toLocalDate();
      assertFinalRowsMatchOracle(
          s, what, "WHERE period_end < '" + sentinelDay + "'", watermarkAfterSentinel(s));
    }
  }

  private void assertFinalRowsMatchOracle(
      StreamScenario s, String what, String where, Instant rulesUpTo) {
    assertComparesEveryColumn(s);
    Map<KpiRowKey, Map<String, Object>> actual = new TreeMap<>();
    for (Map<String, Object> row : http().queryJson(select(s) + " FINAL " + where)) {
      Map<String, Object> previous = actual.put(KpiRowKey.of(row), row);
      assertThat(previous).as("%s: a second FINAL row for %s", s.table(), row).isNull();
    }
    assertRows(s, actual, s.expectedFinalRows(), what + ", " + s.table() + " FINAL");
    List<String> problems = s.otherProblems(http(), rulesUpTo);
    assertThat(problems)
        .as(
            "%s, %s beyond %s: %d problems; first ones:%n%s",
            what,
            s.stream().topic(),
            s.table(),
            problems.size(),
            problems.stream().limit(25).collect(Collectors.joining("\n")))
        .isEmpty();
  }

  /**
   * Read without FINAL, every row ever written with {@code is_final = 1} equals the oracle's: no
   * row was finalized early or with an event counted twice. A replay may write a final row again
   * (same version, same values); returns how many such repeats each table holds.
   */
  Map<String, Long> assertEveryFinalRowWrittenMatchesOracles(String what) {
    Map<String, Long> repeats = new LinkedHashMap<>();
    for (StreamScenario s : scenarios) {
      Map<KpiRowKey, Map<String, Object>> expected = s.expectedFinalRows();
      List<String> problems = new ArrayList<>();
      Map<KpiRowKey, Integer> copies = new TreeMap<>();
      for (Map<String, Object> row : http().queryJson(select(s) + " WHERE is_final = 1")) {
        KpiRowKey key = KpiRowKey.of(row);
        copies.merge(key, 1, Integer::sum);
        Map<String, Object> want = expected.get(key);
        if (want == null) {
          problems.add("unexpected final row " + key + ": " + row);
        } else {
          compare(key, want, row, problems);
        }
      }
      assertNoProblems(problems, expected.size(), what + ", " + s.table() + " without FINAL");
      repeats.put(s.table(), copies.values().stream().mapToLong(n -> n - 1).sum());
    }
    return repeats;
  }

  /** The scenario names every column of its table but the keys and {@code updated_at}. */
  private void assertComparesEveryColumn(StreamScenario s) {
    Set<String> columns =
        new TreeSet<>(
            List.of(
                http()
                    .query(
                        "SELECT name FROM system.columns WHERE database = '"
                            + clickhouse.endpoint().database()
                            + "' AND table = '"
                            + s.table()
                            + "'")
                    .trim()
                    .split("\n")));
    Set<String> compared = new TreeSet<>(s.valueColumns());
    compared.addAll(List.of(KpiRowKey.COLUMNS.split(",\\s*")));
    compared.add("updated_at");
    assertThat(compared)
        .as("columns of %s compared (with keys, updated_at)", s.table())
        .isEqualTo(columns);
    assertThat(s.expectedFinalRows().values())
        .allSatisfy(
            row -> assertThat(row.keySet()).containsExactlyInAnyOrderElementsOf(s.valueColumns()));
  }

  /**
   * The {@code rejected_events} rows as read FINAL: source, partition, offset, event_id, reason,
   * raw.
   */
  List<Map<String, Object>> rejections() {
    return http()
        .queryJson(
            "SELECT source, partition, `offset`, event_id, reason, detail, raw"
                + " FROM rejected_events FINAL");
  }

  long rowCount(String table, String where) {
    return Long.parseLong(http().query("SELECT count() FROM " + table + " " + where).trim());
  }

  private static String select(StreamScenario s) {
    return "SELECT "
        + KpiRowKey.COLUMNS
        + ", "
        + String.join(", ", s.valueColumns())
        + " FROM "
        + s.table();
  }

  private static void assertRows(
      StreamScenario s,
      Map<KpiRowKey, Map<String, Object>> actual,
      Map<KpiRowKey, Map<String, Object>> expected,
      String what) {
    List<String> problems = new ArrayList<>();
    TreeSet<KpiRowKey> missing = new TreeSet<>(expected.keySet());
    missing.removeAll(actual.keySet());
    TreeSet<KpiRowKey> extra = new TreeSet<>(actual.keySet());
    extra.removeAll(expected.keySet());
    missing.forEach(k -> problems.add("missing row " + k));
    extra.forEach(k -> problems.add("unexpected row " + k + ": " + actual.get(k)));
    expected.forEach(
        (k, want) -> {
          Map<String, Object> row = actual.get(k);
          if (row != null) {
            compare(k, want, row, problems);
          }
        });
    assertNoProblems(problems, expected.size(), what);
  }

  private static void compare(
      KpiRowKey key, Map<String, Object> want, Map<String, Object> row, List<String> problems) {
    want.forEach(
        (column, x) -> {
          Object got = row.get(column);
          if (!same(x, got)) {
            problems.add(key + ": " + column + " = " + got + ", expected " + x);
          }
        });
  }

  private static boolean same(Object want, Object got) {
    if (got == null) {
      return want == null;
    }
    if (want instanceof Double d) {
      double g = new BigDecimal(got.toString()).doubleValue();
      return Math.abs(g - d) <= 1e-9 * Math.abs(d);
    }
    if (want instanceof Long || want instanceof Integer || want instanceof BigDecimal) {
      return new BigDecimal(want.toString()).compareTo(new BigDecimal(got.toString())) == 0;
    }
    return want.toString().equals(got.toString());
  }

  private static void assertNoProblems(List<String> problems, int expectedRows, String what) {
    assertThat(problems)
        .as(
            "%s: %d problems over %d expected rows; first ones:%n%s",
            what,
            problems.size(),
            expectedRows,
            problems.stream().limit(25).collect(Collectors.joining("\n")))
        .isEmpty();
  }

  // ---- Kafka ----

  /**
   * The topics are shared by the JVM's test classes and may hold records already: the fresh group
   * starts where they end, so the job reads this run's records only.
   */
  private void startGroupAtTheEnd() {
    for (String topic : topics()) {
      kafka.client().startGroupAtTheEnd(group, topic);
    }
  }

  static String utf8(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  static long ms(long fromNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fromNanos);
  }
}
