// Issue 8, "Done when" (first bullet): `bin/kpi run` as a user runs it — a JVM of its own against
// real Kafka and ClickHouse, with state far beyond what a memory-backed checkpoint may hold — is
// SIGKILLed once and SIGTERMed once between parts of live traffic that repeat earlier event ids,
// and afterwards every row and alert equals the oracles, no rejection is stored twice, and the
// checkpoints it relied on were really completed.
package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.config.ClickHouseEndpoint;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.local.EmbeddedKafka;
import cn.xingan.kpi.sink.ClickHouseHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The durable run, end to end.
 *
 * <p>Kafka is a broker of this class's own, not the JVM's shared one: the job's topic names are
 * fixed, other test classes leave records in the shared topics, and a run of a fresh group must
 * start from the earliest offset without committed offsets (a group with committed offsets but no
 * state is refused, by design). ClickHouse is the shared server with a fresh database.
 *
 * <p>The child's output (and a copy of its state directory) stays in {@code target/durable-run/}:
 * the log has Flink's checkpoint and job-state lines, for the checks here and for whoever reads a
 * failure.
 */
class DurableRunITCase {
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final Duration OUT_OF_ORDERNESS = Duration.ofHours(1);
  private static final Duration STOP_LIMIT = Duration.ofSeconds(60);
  private static final Duration PART_TIMEOUT = Duration.ofSeconds(120);
  private static final Pattern COMPLETED =
      Pattern.compile(
          "Completed checkpoint (\\d+) for job (\\S+) \\((\\d+) bytes, checkpointDuration=(\\d+)"
              + " ms");
  private static final Pattern RESTORED =
      Pattern.compile(
          "(Resuming from .*|Restoring job \\S+ from .*|Starting job \\S+ from savepoint .*)");
  private static final Pattern RESTARTING =
      Pattern.compile("switched from state \\S+ to RESTARTING");

  @RegisterExtension static final ClickHouseExtension CLICKHOUSE = new ClickHouseExtension();

  private static Path kafkaDir;
  private static EmbeddedKafka kafka;

  private final Path out = Path.of("target", "durable-run").toAbsolutePath();
  private final Path stateDir = out.resolve("state");
  private final String group = "durable-run-" + UUID.randomUUID();
  private final List<String> runSummaries = new ArrayList<>();
  private Sender sender;

  @BeforeAll
  static void startKafka() throws IOException {
    kafkaDir = Files.createTempDirectory("kpi-durable-kafka-");
    kafka = EmbeddedKafka.start(kafkaDir, 0);
  }

  @AfterAll
  static void stopKafka() throws IOException {
    if (kafka != null) {
      kafka.close();
    }
    deleteTree(kafkaDir);
  }

  @AfterEach
  void closeSender() {
    if (sender != null) {
      sender.close();
    }
  }

  @Test
  void aKillAndAStopBetweenPartsOfLiveTrafficChangeNoNumber() throws Exception {
    long t0 = System.nanoTime();
    DurableTraffic traffic = new DurableTraffic();
    deleteTree(stateDir);
    Files.createDirectories(out);
    Path log4j = writeLog4jConfig();
    kafka.createTopics(
        cn.xingan.kpi.local.LocalStack.PARTITIONS,
        cn.xingan.kpi.local.LocalStack.TOPICS.toArray(String[]::new));
    Sender client = sender = new Sender(kafka.bootstrapServers());

    // Run 1: part 1 live; once ClickHouse shows it and a checkpoint completed after that, the
    // first tenth of part 2 live, and SIGKILL as soon as its rejections are stored: records read
    // (and rows written) after the last checkpoint are read and written again by the next run.
    long killedAfterMs;
    try (KpiRunProcess run1 = start("run-1", log4j)) {
      produce(client, traffic.part(1), 1.0);
      awaitShown(run1, traffic, 1);
      TreeSet<Path> before = completedCheckpoints();
      awaitNewCheckpoint(run1, before);
      send(client, traffic.part(2), 0, 0.1);
      awaitRejections(run1, 2 * DurableTraffic.INVALID_PER_PART);
      run1.kill();
      killedAfterMs = FaultHarness.ms(t0);
    }
    summarize("run-1", "SIGKILL at " + killedAfterMs + " ms");

    // Run 2: the next part of part 2 waits in Kafka, the rest comes live; then SIGTERM must stop
    // it with a savepoint and exit 0 within 60 s.
    send(client, traffic.part(2), 0.1, 0.5);
    KpiRunProcess.Exit stopped;
    long run2Started = System.currentTimeMillis() / 1000;
    try (KpiRunProcess run2 = start("run-2", log4j)) {
      produceRest(client, traffic.part(2), 0.5);
      awaitShown(run2, traffic, 2);
      stopped = run2.terminate(STOP_LIMIT);
    }
    assertThat(stopped.code()).as("exit code of run-2 after SIGTERM").isZero();
    assertThat(stopped.millis()).as("ms from SIGTERM to exit").isLessThan(STOP_LIMIT.toMillis());
    List<Path> savepoints = savepoints();
    assertThat(savepoints).as("savepoints under %s/savepoints", stateDir).isNotEmpty();
    summarize("run-2", "SIGTERM → exit 0 in " + stopped.millis() + " ms, savepoint " + savepoints);

    // Run 3: the rest, then sentinels that make every period of the parts final.
    produce(client, traffic.part(3), 0.5);
    KpiRunProcess.Exit last;
    try (KpiRunProcess run3 = start("run-3", log4j)) {
      produceRest(client, traffic.part(3), 0.5);
      awaitShown(run3, traffic, 3);
      produceSentinels(client, traffic.scenarios());
      awaitFinal(run3, traffic.scenarios());
      last = run3.terminate(STOP_LIMIT);
    }
    summarize("produced", client.records + " records in " + client.millis + " ms");
    assertThat(last.code()).as("exit code of run-3 after SIGTERM").isZero();
    summarize("run-3", "SIGTERM → exit 0 in " + last.millis() + " ms");

    assertRowsAndAlertsMatchOracles(traffic.scenarios());
    assertEachRejectionOnce(traffic.invalidIds());
    // Not asserted (it depends on whether the rejections were flushed before or at a checkpoint):
    // how many of part 2's rejections run 2 stored again after reading them a second time.
    summarize(
        "part 2 rejections stored again by run 2",
        http()
            .query(
                "SELECT count() FROM rejected_events FINAL WHERE event_id LIKE 'bad-2-%'"
                    + " AND received_at >= toDateTime("
                    + run2Started
                    + ")")
            .trim());
    assertNoRestartInsideARun();
    assertResumed("run-2", "checkpoint"); // after the SIGKILL
    assertResumed("run-3", "savepoint"); // after the SIGTERM

    assertThat(largestCheckpointBytes())
        .as("largest completed checkpoint (a memory-backed one may hold 5 MiB)")
        .isGreaterThan(5L << 20);
    long stateBytes = treeSize(stateDir);
    System.err.printf(
        "[DurableRunITCase] %d records sent (%d distinct service events, %d repeats, %d invalid);"
            + " state dir %.1f MiB (%s); %s; test %d ms%n",
        traffic.totalRecords(),
        DurableTraffic.SERVICE_EVENTS,
        traffic.parts().stream().mapToInt(DurableTraffic.Part::repeatedRecords).sum(),
        traffic.invalidIds().size(),
        stateBytes / 1048576.0,
        stateDirSummary(),
        String.join("; ", runSummaries),
        FaultHarness.ms(t0));
  }

  // ---- the child ----

  private KpiRunProcess start(String name, Path log4j) {
    ClickHouseEndpoint ch = CLICKHOUSE.endpoint();
    List<String> args = new ArrayList<>();
    args.add("run");
    add(args, "--kafka-bootstrap", kafka.bootstrapServers());
    add(args, "--clickhouse-url", ch.url());
    if (ch.user() != null && !ch.user().isEmpty()) {
      add(args, "--clickhouse-user", ch.user());
    }
    if (ch.password() != null && !ch.password().isEmpty()) {
      add(args, "--clickhouse-password", ch.password());
    }
    add(args, "--database", ch.database());
    add(args, "--state-dir", stateDir.toString());
    add(args, "--checkpoint-interval", "2s");
    add(args, "--web-port", "0");
    add(args, "--metrics-port", "0");
    add(args, "--flink-ui-port", "0");
    add(args, "--emit-interval", "1s");
    add(args, "--sink-batch-interval", "500ms");
    add(args, "--kafka-group-id", group);
    add(args, "--parallelism", "2");
    // as the fault tests: a 1 h watermark bound, and sentinels in 2031 (see StreamScenario)
    add(args, "--out-of-orderness", "1h");
    add(args, "--max-future", "3650d");
    return KpiRunProcess.start(name, args, log(name), log4j);
  }

  private static void add(List<String> args, String name, String value) {
    args.add(name);
    args.add(value);
  }

  private Path log(String run) {
    return out.resolve(run + ".log");
  }

  /**
   * Flink's checkpoint coordinator and job-state lines at INFO (completed checkpoints with sizes
   * and durations, restores, restarts), everything else at WARN, ours at INFO.
   */
  private Path writeLog4jConfig() throws IOException {
    Path file = out.resolve("log4j2-child.properties");
    for (String run : List.of("run-1", "run-2", "run-3")) {
      Files.deleteIfExists(log(run));
    }
    Files.writeString(
        file,
        String.join(
            "\n",
            "status = WARN",
            "appender.console.type = Console",
            "appender.console.name = Console",
            "appender.console.target = SYSTEM_OUT",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5level [%t] %c{1.} - %msg%n",
            "rootLogger.level = WARN",
            "rootLogger.appenderRef.console.ref = Console",
            "logger.kpi.name = cn.xingan",
            "logger.kpi.level = INFO",
            "logger.cp.name = org.apache.flink.runtime.checkpoint.CheckpointCoordinator",
            "logger.cp.level = INFO",
            "logger.eg.name = org.apache.flink.runtime.executiongraph.DefaultExecutionGraph",
            "logger.eg.level = INFO",
            "logger.metricgroup.name = org.apache.flink.metrics.MetricGroup",
            "logger.metricgroup.level = ERROR",
            "logger.clickhouse.name = com.clickhouse",
            "logger.clickhouse.level = ERROR",
            ""),
        StandardCharsets.UTF_8);
    return file;
  }

  // ---- traffic ----

  /** Sends the first {@code share} of each topic's records of a part. */
  private static void produce(Sender client, DurableTraffic.Part part, double share) {
    send(client, part, 0, share);
  }

  /** Sends the records after the first {@code share} of each topic's records of a part. */
  private static void produceRest(Sender client, DurableTraffic.Part part, double share) {
    send(client, part, share, 1.0);
  }

  private static void send(Sender client, DurableTraffic.Part part, double from, double to) {
    send(client, EventStream.SERVICE_TRANSACTIONS, part.service(), from, to);
    send(client, EventStream.MARKET_STALL_COUNTS, part.market(), from, to);
    send(client, EventStream.PROJECT_PROGRESS, part.project(), from, to);
  }

  private static void send(
      Sender client,
      EventStream stream,
      List<Map.Entry<String, String>> records,
      double from,
      double to) {
    List<Map.Entry<String, String>> slice =
        records.subList((int) (records.size() * from), (int) (records.size() * to));
    if (!slice.isEmpty()) {
      client.send(
          slice.stream()
              .map(e -> KafkaTestClient.record(stream.topic(), e.getKey(), e.getValue()))
              .toList());
    }
  }

  /** Each scenario's sentinel on both partitions of its topic (see StreamScenario#eventAt). */
  private static void produceSentinels(Sender client, List<StreamScenario> scenarios) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (StreamScenario s : scenarios) {
      for (int p = 0; p < 2; p++) {
        Map.Entry<String, String> e = s.eventAt(s.sentinelTime(), "durable-sentinel-" + p);
        records.add(
            new ProducerRecord<>(
                s.stream().topic(),
                p,
                e.getKey().getBytes(StandardCharsets.UTF_8),
                e.getValue().getBytes(StandardCharsets.UTF_8)));
      }
    }
    client.send(records);
  }

  // ---- waiting ----

  /**
   * Waits until the league's week rows (read FINAL: the highest version per key) add up to every
   * distinct service event and market report of parts 1..n, and the project's league year row
   * counts what the oracle says for those parts. Rows counting fewer (state lost in a restart) or
   * more (a repeat counted) never satisfy it, and the failure says by how much.
   */
  private void awaitShown(KpiRunProcess run, DurableTraffic traffic, int part) throws Exception {
    long wantService = traffic.distinctServiceEventsUpTo(part);
    long wantMarket = traffic.distinctMarketReportsUpTo(part);
    long wantProject = traffic.projectLeagueYearEventsUpTo(part);
    long deadline = System.nanoTime() + PART_TIMEOUT.toNanos();
    long t0 = System.nanoTime();
    while (true) {
      long service = leagueEvents("kpi_service", "week");
      long market = leagueEvents("kpi_market", "week");
      long project = leagueEvents("kpi_project", "year");
      if (service == wantService && market == wantMarket && project == wantProject) {
        summarize(
            "part " + part,
            String.format(
                "shown %d ms after the wait began (service %d, market %d, project %d)",
                FaultHarness.ms(t0), service, market, project));
        return;
      }
      run.assertAlive("waiting for part " + part + " in ClickHouse");
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            String.format(
                "after %s, the league's rows count service %d events (expected %d), market %d"
                    + " (expected %d), project %d (expected %d)",
                PART_TIMEOUT, service, wantService, market, wantMarket, project, wantProject));
      }
      Thread.sleep(250);
    }
  }

  private long leagueEvents(String table, String period) {
    String text =
        http()
            .query(
                "SELECT sum(events) FROM "
                    + table
                    + " FINAL WHERE scope = 'league' AND period = '"
                    + period
                    + "'")
            .trim();
    return text.isEmpty() ? 0 : Long.parseLong(text);
  }

  /** Waits until rejected_events holds {@code n} records (as read FINAL). */
  private void awaitRejections(KpiRunProcess run, int n) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    long got;
    while ((got = Long.parseLong(http().query("SELECT count() FROM rejected_events FINAL").trim()))
        < n) {
      run.assertAlive("waiting for " + n + " rejections");
      if (System.nanoTime() > deadline) {
        throw new AssertionError("rejected_events holds " + got + " records, expected " + n);
      }
      Thread.sleep(100);
    }
  }

  /** Waits until a checkpoint not in {@code before} has completed (its _metadata written). */
  private void awaitNewCheckpoint(KpiRunProcess run, TreeSet<Path> before) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      TreeSet<Path> now = completedCheckpoints();
      now.removeAll(before);
      if (!now.isEmpty()) {
        return;
      }
      run.assertAlive("waiting for a checkpoint under " + stateDir);
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "no checkpoint completed under "
                + stateDir
                + " within 60 s after part 1 showed; the run's log ends:\n"
                + run.tail(30));
      }
      Thread.sleep(200);
    }
  }

  /**
   * Waits until every scenario's table holds as many final rows before its sentinel as the oracle
   * expects, and the project alerts equal the oracle's (or the time is up: the checks then say what
   * is wrong).
   */
  private void awaitFinal(KpiRunProcess run, List<StreamScenario> scenarios) throws Exception {
    long deadline = System.nanoTime() + PART_TIMEOUT.toNanos();
    for (StreamScenario s : scenarios) {
      int want = s.expectedFinalRows().size();
      while (finalRowsBeforeSentinel(s) < want && System.nanoTime() < deadline) {
        run.assertAlive("waiting for the final rows of " + s.table());
        Thread.sleep(250);
      }
    }
    for (StreamScenario s : scenarios) {
      while (!s.otherProblems(http(), watermarkAfterSentinel(s)).isEmpty()
          && System.nanoTime() < deadline) {
        run.assertAlive("waiting for the alerts");
        Thread.sleep(250);
      }
    }
  }

  private long finalRowsBeforeSentinel(StreamScenario s) {
    return Long.parseLong(
        http()
            .query(
                "SELECT count() FROM "
                    + s.table()
                    + " FINAL WHERE is_final = 1 AND "
                    + beforeSentinel(s))
            .trim());
  }

  private static String beforeSentinel(StreamScenario s) {
    LocalDate day = s.sentinelTime().atZone(ZONE).toLocalDate();
    return "period_end < '" + day + "'";
  }

  /** Where the watermark stops once the sentinels are read (the project rules run up to it). */
  private static Instant watermarkAfterSentinel(StreamScenario s) {
    return s.sentinelTime().minus(OUT_OF_ORDERNESS).minusMillis(1);
  }

  // ---- checks ----

  private void assertRowsAndAlertsMatchOracles(List<StreamScenario> scenarios) {
    for (StreamScenario s : scenarios) {
      List<String> problems = ScenarioRows.problems(s, http(), "WHERE " + beforeSentinel(s));
      assertThat(problems)
          .as(
              "%s FINAL against the oracle (%d rows expected); first problems:%n%s",
              s.table(), s.expectedFinalRows().size(), String.join("\n", problems))
          .isEmpty();
      List<String> other = s.otherProblems(http(), watermarkAfterSentinel(s));
      assertThat(other)
          .as(
              "%s beyond %s: first problems:%n%s",
              s.stream().topic(),
              s.table(),
              other.stream().limit(25).collect(Collectors.joining("\n")))
          .isEmpty();
    }
  }

  /**
   * The invalid records are the only rejections, each stored once as read FINAL and through the
   * view, however often a replay rejected it again.
   */
  private void assertEachRejectionOnce(List<String> invalidIds) {
    List<String> ids =
        http().queryJson("SELECT event_id FROM rejected_events FINAL").stream()
            .map(r -> (String) r.get("event_id"))
            .sorted()
            .toList();
    assertThat(ids)
        .as("event_id of rejected_events FINAL")
        .isEqualTo(invalidIds.stream().sorted().toList());
    assertThat(Long.parseLong(http().query("SELECT count() FROM rejected_events_final").trim()))
        .as("rows of rejected_events_final")
        .isEqualTo(invalidIds.size());
    long written = Long.parseLong(http().query("SELECT count() FROM rejected_events").trim());
    summarize(
        "rejections",
        invalidIds.size() + " stored once (" + written + " rows without FINAL, after merges)");
  }

  /** Flink never restarted the job inside a run (a checkpoint failure would have done that). */
  private void assertNoRestartInsideARun() throws IOException {
    for (String run : List.of("run-1", "run-2", "run-3")) {
      List<String> restarts = grep(run, RESTARTING);
      assertThat(restarts).as("job restarts in %s's log", run).isEmpty();
    }
  }

  /** A later run restored the job from the state directory (a checkpoint or the savepoint). */
  private void assertResumed(String run, String from) throws IOException {
    List<String> lines = grep(run, RESTORED);
    assertThat(lines).as("restore lines in %s's log %s", run, log(run)).isNotEmpty();
    assertThat(lines.get(0)).as("what %s resumed from", run).contains("Resuming from the " + from);
    summarize(
        run + " restored", lines.get(0).replaceAll(".*?(Resuming|Restoring|Starting) ", "$1 "));
  }

  private void summarize(String what, String detail) {
    runSummaries.add(what + ": " + detail);
  }

  private long largestCheckpointBytes() throws IOException {
    long max = 0;
    for (String run : List.of("run-1", "run-2", "run-3")) {
      for (String line : grep(run, COMPLETED)) {
        Matcher m = COMPLETED.matcher(line);
        if (m.find()) {
          max = Math.max(max, Long.parseLong(m.group(3)));
        }
      }
    }
    return max;
  }

  /** Completed checkpoints by run: how many, largest size, longest duration, from the log. */
  private String checkpointSummary(String run) throws IOException {
    List<Matcher> done = new ArrayList<>();
    for (String line : Files.readAllLines(log(run), StandardCharsets.UTF_8)) {
      Matcher m = COMPLETED.matcher(line);
      if (m.find()) {
        done.add(m);
      }
    }
    if (done.isEmpty()) {
      return run + " no completed checkpoint";
    }
    long maxBytes = done.stream().mapToLong(m -> Long.parseLong(m.group(3))).max().orElse(0);
    long maxMs = done.stream().mapToLong(m -> Long.parseLong(m.group(4))).max().orElse(0);
    double avgMs = done.stream().mapToLong(m -> Long.parseLong(m.group(4))).average().orElse(0);
    return String.format(
        "%s %d checkpoints, largest %.1f MiB, duration avg %.0f ms max %d ms",
        run, done.size(), maxBytes / 1048576.0, avgMs, maxMs);
  }

  private String stateDirSummary() throws IOException {
    List<String> parts = new ArrayList<>();
    for (String run : List.of("run-1", "run-2", "run-3")) {
      parts.add(checkpointSummary(run));
    }
    parts.add(
        "checkpoints/ "
            + String.format("%.1f MiB", treeSize(stateDir.resolve("checkpoints")) / 1048576.0));
    parts.add(
        "savepoints/ "
            + String.format("%.1f MiB", treeSize(stateDir.resolve("savepoints")) / 1048576.0));
    return String.join(", ", parts);
  }

  private List<String> grep(String run, Pattern pattern) throws IOException {
    return Files.readAllLines(log(run), StandardCharsets.UTF_8).stream()
        .filter(l -> pattern.matcher(l).find())
        .toList();
  }

  // ---- the state directory ----

  /** The _metadata files of completed checkpoints: checkpoints/JOB/chk-N/_metadata. */
  private TreeSet<Path> completedCheckpoints() throws IOException {
    return metadataFiles(stateDir.resolve("checkpoints"), "chk-");
  }

  private List<Path> savepoints() throws IOException {
    return List.copyOf(metadataFiles(stateDir.resolve("savepoints"), "savepoint-"));
  }

  private static TreeSet<Path> metadataFiles(Path root, String dirPrefix) throws IOException {
    TreeSet<Path> found = new TreeSet<>();
    if (!Files.isDirectory(root)) {
      return found;
    }
    try (Stream<Path> files = Files.walk(root, 3)) {
      files
          .filter(p -> p.getFileName().toString().equals("_metadata"))
          .filter(p -> p.getParent().getFileName().toString().startsWith(dirPrefix))
          .forEach(found::add);
    } catch (UncheckedIOException e) {
      // a checkpoint directory removed while walking (Flink keeps only the latest): look again
      return found;
    }
    return found;
  }

  private static long treeSize(Path root) throws IOException {
    if (!Files.exists(root)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).mapToLong(DurableRunITCase::size).sum();
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * One producer for the whole test, batching (the fixtures' one-at-a-time producer would take a
   * minute for 150k records, more for 300k); idempotent, so a retry keeps each partition's order.
   */
  private static final class Sender implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    long records;
    long millis;

    Sender(String bootstrap) {
      Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
      props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
      props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      producer = new KafkaProducer<>(props);
    }

    /** Sends the records and returns once the broker acknowledged every one. */
    void send(List<ProducerRecord<byte[], byte[]>> batch) {
      long t0 = System.nanoTime();
      List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
      for (ProducerRecord<byte[], byte[]> r : batch) {
        sent.add(producer.send(r));
      }
      producer.flush();
      try {
        for (Future<RecordMetadata> f : sent) {
          f.get(60, TimeUnit.SECONDS);
        }
      } catch (Exception e) {
        throw new IllegalStateException("could not produce " + batch.size() + " records", e);
      }
      records += batch.size();
      millis += FaultHarness.ms(t0);
    }

    @Override
    public void close() {
      producer.close(Duration.ofSeconds(30));
    }
  }

  private static ClickHouseHttp http() {
    return CLICKHOUSE.http();
  }
}
