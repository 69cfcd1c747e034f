package cn.xingan.kpi.cli;

import cn.xingan.kpi.config.ClickHouseEndpoint;
import cn.xingan.kpi.config.CommandOptions;
import cn.xingan.kpi.config.Durations;
import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.config.OptionValues;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.local.LiveKpiTable;
import cn.xingan.kpi.local.LiveMarketTable;
import cn.xingan.kpi.local.LiveProjectTable;
import cn.xingan.kpi.local.generate.GeneratedEvent;
import cn.xingan.kpi.local.generate.MarketReportGenerator;
import cn.xingan.kpi.local.generate.ProjectGenerator;
import cn.xingan.kpi.local.generate.ServiceTransactionGenerator;
import cn.xingan.kpi.sink.ClickHouseHttp;
import cn.xingan.kpi.sink.SchemaInstaller;
import cn.xingan.kpi.web.LivePage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code bin/kpi quickstart}: everything on one machine — a local ClickHouse (left running
 * afterwards, with the KPIs in it), an embedded Kafka broker, generated service-window traffic and
 * market stall counts (a week of history, then live) and the year so far of the League's 197 major
 * projects, the streaming jobs on a local Flink, and the live KPI tables and open project alerts
 * refreshed in the terminal until Ctrl-C or {@code --duration}.
 */
final class Quickstart {
  static final String HELP =
      """
      Usage: bin/kpi quickstart [--duration 60s] [options]

      Starts a local ClickHouse (unless --clickhouse-url is given; it keeps running afterwards so
      the KPIs can be queried), an embedded Kafka broker (unless --kafka-bootstrap is given),
      generates realistic service-window transactions for the League's departments, stall
      counts of its 31 morning/evening and 19 gig-work markets and the year so far of its 197
      major projects (weekly investment, half-monthly progress, milestones; some late, silent
      or behind plan), runs the streaming jobs on a local Flink and prints the live KPIs and
      open project alerts until Ctrl-C or --duration.
      The emit interval defaults to 5s here (10s elsewhere), so the table moves.
      """;

  private static final Duration REFRESH = Duration.ofSeconds(5);

  private Quickstart() {}

  static int run(OptionValues values) throws Exception {
    CommandOptions.Quickstart q = CommandOptions.Quickstart.from(values);
    Duration duration = q.duration();
    Duration history = q.history();
    double rate = q.rate();
    long seed = q.seed() == null ? System.nanoTime() : q.seed();
    Path dataDir = q.dataDir().toAbsolutePath();
    Files.createDirectories(dataDir);
    KpiOptions options = q.job();

    ClickHouseEndpoint ch = options.clickhouse();
    if (q.localClickHouse()) {
      System.out.println(
          "Starting a local ClickHouse in " + dataDir.resolve("clickhouse") + " ...");
      String url = LocalClickHouse.startOrReuse(dataDir.resolve("clickhouse"));
      ch = new ClickHouseEndpoint(url, ch.user(), ch.password(), ch.database());
      options = options.withClickHouse(ch);
    }
    SchemaInstaller.install(ch);
    System.out.println("ClickHouse " + ch.url() + ", database " + ch.database() + ": schema ready");

    KafkaProcess kafka = null;
    if (q.localKafka()) {
      System.out.println("Starting an embedded Kafka broker ...");
      Path kafkaDir = dataDir.resolve("kafka-" + System.currentTimeMillis());
      Files.createDirectories(kafkaDir);
      kafka = KafkaProcess.start(kafkaDir, 0, topics(), dataDir.resolve("kafka.log"));
      options = options.withKafka(kafka.bootstrap());
    }
    System.out.println("Kafka " + options.kafkaBootstrap());

    AtomicLong produced = new AtomicLong();
    Producer producer = new Producer(options.kafkaBootstrap(), options, seed, rate, produced);
    StreamingRun job = null;
    LivePage page = null;
    try {
      Instant now = Instant.now();
      System.out.println(
          "Producing "
              + Durations.format(history)
              + " of history at "
              + (long) rate
              + " transactions/hour ...");
      Instant yearStart =
          now.atZone(options.zone())
              .toLocalDate()
              .withDayOfYear(1)
              .atStartOfDay(options.zone())
              .toInstant();
      if (yearStart.isBefore(now.minus(history))) {
        System.out.println("Producing the major projects' year so far ...");
        producer.produceProjects(yearStart, now.minus(history));
      }
      producer.produce(now.minus(history), now);
      System.out.println("Produced " + produced.get() + " events; starting the streaming jobs ...");

      job =
          StreamingRun.start(
              options,
              q.engine(),
              q.fromSavepoint(),
              q.resetState(),
              q.flinkUiPort(),
              values.given("flink-ui-port"),
              "xingan-kpi quickstart",
              System.out);
      job.stopOnSignals();

      ClickHouseHttp http = new ClickHouseHttp(ch);
      page = WebPage.start(q.webPort(), values.given("web-port"), ch, options.zone());
      live(options, http, producer, produced, now, duration, job);
      System.out.println("Stopping: letting the last rows reach ClickHouse ...");
      Thread.sleep(options.emitInterval().plus(options.sinkBatchInterval()).toMillis() + 3000);
      printTable(options, http, produced);
    } finally {
      producer.close();
      if (page != null) {
        page.close();
      }
      stopQuietly(job, kafka);
    }
    System.out.printf(
        "%nDone. %d events produced. The KPIs stay in ClickHouse at %s (database %s), e.g.:%n"
            + "  curl '%s/?database=%s' --data-binary 'SELECT period, period_start, scope,"
            + " scope_key, accepted, completed, completed_on_time, is_final FROM kpi_service FINAL"
            + " WHERE scope = '\\''league'\\'' ORDER BY period, period_start FORMAT PrettyCompact'%n",
        produced.get(), ch.url(), ch.database(), ch.url(), ch.database());
    if (q.localClickHouse()) {
      System.out.println(
          "The local ClickHouse keeps running; stop it with: kill $(cat "
              + dataDir.resolve("clickhouse").resolve(LocalClickHouse.PID_FILE)
              + ")");
    }
    return 0;
  }

  private static void live(
      KpiOptions options,
      ClickHouseHttp http,
      Producer producer,
      AtomicLong produced,
      Instant start,
      Duration duration,
      StreamingRun job)
      throws Exception {
    Instant last = start;
    long deadline =
        duration == null ? Long.MAX_VALUE : System.currentTimeMillis() + duration.toMillis();
    while (System.currentTimeMillis() < deadline && !job.stopping()) {
      Optional<Exception> failed = job.failure();
      if (failed.isPresent()) {
        throw new IllegalStateException(
            "the streaming jobs failed: " + Failures.describe(failed.get()), failed.get());
      }
      long sleep = Math.min(REFRESH.toMillis(), Math.max(0, deadline - System.currentTimeMillis()));
      Thread.sleep(sleep);
      Instant now = Instant.now();
      producer.produce(last, now);
      last = now;
      printTable(options, http, produced);
      System.out.println(job.status());
    }
  }

  private static void printTable(KpiOptions options, ClickHouseHttp http, AtomicLong produced) {
    LiveKpiTable table = LiveKpiTable.forStdout(options.zone());
    try {
      List<Map<String, Object>> rows = http.queryJson(LiveKpiTable.QUERY);
      System.out.print(table.render(rows, Instant.now(), produced.get()));
      List<Map<String, Object>> markets = http.queryJson(LiveMarketTable.QUERY);
      System.out.print(
          System.lineSeparator() + LiveMarketTable.render(markets, LocalDate.now(options.zone())));
      System.out.print(
          new LiveProjectTable(options.zone())
              .render(
                  http.queryJson(LiveProjectTable.ROWS),
                  http.queryJson(LiveProjectTable.ALERTS),
                  Instant.now()));
      System.out.flush();
    } catch (RuntimeException e) {
      System.out.println("(ClickHouse not readable right now: " + e.getMessage() + ")");
    }
  }

  private static void stopQuietly(StreamingRun job, KafkaProcess kafka) {
    if (job != null) {
      job.stop(); // with a savepoint: the next quickstart resumes from it
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  private static List<String> topics() {
    return List.of(
        EventStream.PROJECT_PROGRESS.topic(),
        EventStream.SERVICE_TRANSACTIONS.topic(),
        EventStream.MARKET_STALL_COUNTS.topic(),
        KpiOptions.TOPIC_ALERTS,
        KpiOptions.TOPIC_REJECTED);
  }

  /** Generated traffic into Kafka, keyed by transaction id and market id as the contract says. */
  private static final class Producer implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> kafka;
    private final ServiceTransactionGenerator generator;
    private final MarketReportGenerator markets;
    private final ProjectGenerator projects;
    private final double rate;
    private final AtomicLong produced;

    Producer(String bootstrap, KpiOptions options, long seed, double rate, AtomicLong produced) {
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      // Topics created a moment ago: ordered plain retries instead of the idempotent producer's
      // sequence checks, which can wedge on a first NOT_LEADER answer (see KafkaTestClient).
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
      p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
      this.kafka = new KafkaProducer<>(p);
      this.generator = new ServiceTransactionGenerator(seed, options.zone());
      this.markets = new MarketReportGenerator(seed, options.zone());
      this.projects =
          new ProjectGenerator(
              seed, options.zone(), Instant.now().atZone(options.zone()).getYear());
      this.rate = rate;
      this.produced = produced;
    }

    void produce(Instant from, Instant to) {
      generator.forEachBetween(from, to, rate, e -> send(EventStream.SERVICE_TRANSACTIONS, e));
      markets.forEachBetween(from, to, e -> send(EventStream.MARKET_STALL_COUNTS, e));
      projects.forEachBetween(from, to, e -> send(EventStream.PROJECT_PROGRESS, e));
      kafka.flush();
    }

    /** Project events only (record key: project_id). */
    void produceProjects(Instant from, Instant to) {
      projects.forEachBetween(from, to, e -> send(EventStream.PROJECT_PROGRESS, e));
      kafka.flush();
    }

    private void send(EventStream stream, GeneratedEvent e) {
      kafka.send(
          new ProducerRecord<>(
              stream.topic(), e.key().getBytes(java.nio.charset.StandardCharsets.UTF_8), e.json()));
      produced.incrementAndGet();
    }

    @Override
    public void close() {
      kafka.close(Duration.ofSeconds(10));
    }
  }
}
