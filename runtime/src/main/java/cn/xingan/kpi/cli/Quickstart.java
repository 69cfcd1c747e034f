package cn.xingan.kpi.cli;

import cn.xingan.kpi.config.ClickHouseEndpoint;
import cn.xingan.kpi.config.CommandOptions;
import cn.xingan.kpi.config.Durations;
import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.config.OptionException;
import cn.xingan.kpi.config.OptionValues;
import cn.xingan.kpi.local.KafkaProbe;
import cn.xingan.kpi.local.KpiUsers;
import cn.xingan.kpi.local.LiveKpiTable;
import cn.xingan.kpi.local.LiveMarketTable;
import cn.xingan.kpi.local.LiveProjectTable;
import cn.xingan.kpi.local.LocalStack;
import cn.xingan.kpi.local.generate.TrafficProducer;
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
import java.util.stream.Collectors;

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
      Usage: bin/kpi quickstart [--duration 60s] [--fresh] [options]

      Starts a local ClickHouse (unless --clickhouse-url is given; it keeps running afterwards so
      the KPIs can be queried) and a Kafka broker (unless --kafka-bootstrap is given; stopped at
      the end unless it ran before, e.g. from bin/kpi local start), both with their data under
      --data-dir; generates realistic service-window transactions for the League's departments,
      stall counts of its 31 morning/evening and 19 gig-work markets and the year so far of its
      197 major projects (weekly investment, half-monthly progress, milestones; some late, silent
      or behind plan), runs the streaming jobs on a local Flink and prints the live KPIs and
      open project alerts until Ctrl-C or --duration.
      A second quickstart resumes: the same Kafka topics, database and job state, and its traffic
      continues where the last one stopped (same seed), so nothing counts twice. --fresh first
      stops the local services of --data-dir and deletes <data-dir>/kafka, <data-dir>/clickhouse
      and <data-dir>/state, then starts clean. If the streaming job fails, quickstart stops and
      exits 1 with the cause.
      The emit interval defaults to 5s here (10s elsewhere), so the table moves.
      """;

  private static final Duration REFRESH = Duration.ofSeconds(5);

  /** How often the service table is looked at while its headline lines wait for rows. */
  private static final Duration FIRST_ROWS_POLL = Duration.ofMillis(500);

  private Quickstart() {}

  static int run(OptionValues values) throws Exception {
    CommandOptions.Quickstart q = CommandOptions.Quickstart.from(values);
    Duration duration = q.duration();
    Duration history = q.history();
    double rate = q.rate();
    Path dataDir = q.dataDir().toAbsolutePath();
    Files.createDirectories(dataDir);
    KpiOptions options = q.job();
    // Job state (default <data-dir>/state), which --fresh clears and a second quickstart resumes.
    Path stateDir = q.engine().stateDir();
    LocalStack stack =
        LocalStack.in(
            dataDir,
            options.clickhouse().url(),
            options.kafkaBootstrap(),
            options.clickhouse().database());
    if (q.fresh()) {
      fresh(stack, q, options, stateDir);
    }

    ClickHouseEndpoint ch = options.clickhouse();
    if (q.localClickHouse()) {
      System.out.println("ClickHouse (data in " + stack.clickhouseDir() + ") ...");
      LocalStack.Service started = stack.startClickHouse();
      System.out.println("  " + started.describe());
      ch = new ClickHouseEndpoint(started.address(), ch.user(), ch.password(), ch.database());
      options = options.withClickHouse(ch);
    }
    SchemaInstaller.install(ch);
    System.out.println("ClickHouse " + ch.url() + ", database " + ch.database() + ": schema ready");
    // The schema is installed as the admin; the jobs write as kpi_writer and everything that only
    // reads (the tables printed here, the live page) reads as kpi_reader, when the local server
    // has those users (sql/users.d/kpi-users.xml).
    ClickHouseEndpoint reader = ch;
    Optional<KpiUsers> users = q.localClickHouse() ? stack.users() : Optional.empty();
    if (users.isPresent()) {
      ch = users.get().endpoint(ch.url(), KpiUsers.Role.WRITER, ch.database());
      reader = users.get().endpoint(ch.url(), KpiUsers.Role.READER, ch.database());
      options = options.withClickHouse(ch);
      System.out.println(
          "  the jobs write as kpi_writer, the tables and the live page read as kpi_reader"
              + " (passwords in "
              + stack.passwordFile(KpiUsers.Role.WRITER).getParent()
              + ")");
    }

    boolean stopKafka = false;
    if (q.localKafka()) {
      System.out.println("Kafka (data in " + stack.kafkaDir() + ") ...");
      LocalStack.Service started = stack.startKafka();
      System.out.println("  " + started.describe());
      stopKafka = started.how() == LocalStack.How.STARTED;
      options = options.withKafka(started.address());
    }
    System.out.println("Kafka " + options.kafkaBootstrap());

    Instant now = Instant.now();
    int year = now.atZone(options.zone()).getYear();
    String bootstrap = options.kafkaBootstrap();
    String clusterId =
        KafkaProbe.clusterId(options.kafkaClientProperties(), KafkaProbe.TIMEOUT)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no Kafka broker answers at "
                            + bootstrap
                            + "; start one with bin/kpi local start, or pass --kafka-bootstrap"
                            + " HOST:PORT"));
    Optional<QuickstartTraffic> earlier = QuickstartTraffic.load(dataDir, clusterId, year);
    QuickstartTraffic traffic = traffic(q, earlier, clusterId, year);

    LocalStack stackToStop = stopKafka ? stack : null;
    TrafficProducer producer =
        new TrafficProducer(options.kafkaBootstrap(), options.zone(), traffic.seed(), rate, year);
    StreamingRun job = null;
    LivePage page = null;
    try {
      Instant yearStart =
          now.atZone(options.zone())
              .toLocalDate()
              .withDayOfYear(1)
              .atStartOfDay(options.zone())
              .toInstant();
      Instant historyStart = now.minus(history);
      if (earlier.isPresent()) {
        Instant from = earlier.get().until();
        System.out.println(
            "Resuming the quickstart traffic in Kafka (seed "
                + traffic.seed()
                + ") from "
                + from
                + " ...");
        if (from.isBefore(historyStart)) {
          // the projects' year stays whole; the other streams restart at the history
          producer.produceProjects(from, historyStart);
          from = historyStart;
        }
        producer.produce(from, now);
      } else {
        System.out.println(
            "Producing "
                + Durations.format(history)
                + " of history at "
                + (long) rate
                + " transactions/hour ...");
        if (yearStart.isBefore(historyStart)) {
          System.out.println("Producing the major projects' year so far ...");
          producer.produceProjects(yearStart, historyStart);
        }
        producer.produce(historyStart, now);
      }
      traffic = traffic.until(now);
      traffic.save(dataDir);
      System.out.println(
          "Produced " + producer.produced() + " events; starting the streaming jobs ...");

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

      ClickHouseHttp http = new ClickHouseHttp(reader);
      page = WebPage.start(q.webPort(), values.given("web-port"), reader, options.zone());
      live(options, http, producer, traffic, dataDir, job, duration);
      System.out.println("Stopping: letting the last rows reach ClickHouse ...");
      Thread.sleep(options.emitInterval().plus(options.sinkBatchInterval()).toMillis() + 3000);
      printTable(LiveKpiTable.forStdout(options.zone()), options, http, producer.produced());
    } finally {
      producer.close();
      if (page != null) {
        page.close();
      }
      stopQuietly(job, stackToStop);
    }
    System.out.printf(
        "%nDone. %d events produced. The KPIs stay in ClickHouse at %s (database %s), e.g.:%n"
            + "  curl '%s/?database=%s' --data-binary 'SELECT period, period_start, scope,"
            + " scope_key, accepted, completed, completed_on_time, is_final FROM kpi_service FINAL"
            + " WHERE scope = '\\''league'\\'' ORDER BY period, period_start FORMAT PrettyCompact'%n",
        producer.produced(), ch.url(), ch.database(), ch.url(), ch.database());
    if (q.localKafka()) {
      System.out.println(
          stopKafka
              ? "Kafka stopped; its topics stay in "
                  + stack.kafkaDir()
                  + " for the next quickstart."
              : "Kafka keeps running (it was running before quickstart).");
    }
    if (q.localClickHouse()) {
      System.out.println(
          "The local ClickHouse keeps running; stop it with: bin/kpi local stop --data-dir "
              + dataDir);
    }
    return 0;
  }

  /** The seed and start of this run's traffic: the earlier run's, or a new one. */
  private static QuickstartTraffic traffic(
      CommandOptions.Quickstart q,
      Optional<QuickstartTraffic> earlier,
      String clusterId,
      int year) {
    if (earlier.isPresent()) {
      if (q.seed() != null && q.seed() != earlier.get().seed()) {
        throw new OptionException(
            "--seed "
                + q.seed()
                + " differs from the seed "
                + earlier.get().seed()
                + " of the quickstart traffic already in Kafka; drop --seed to resume it, or add"
                + " --fresh to start clean");
      }
      return earlier.get();
    }
    long seed = q.seed() == null ? System.nanoTime() : q.seed();
    return new QuickstartTraffic(seed, Instant.EPOCH, clusterId, year);
  }

  /**
   * {@code --fresh}: stops the services started from the data folder and deletes their data and the
   * job state, saying what; servers that were not started from there keep their data.
   */
  private static void fresh(
      LocalStack stack, CommandOptions.Quickstart q, KpiOptions options, Path stateDir) {
    System.out.println("--fresh: stopping the local services of " + stack.dataDir() + " ...");
    stack.stop().forEach(line -> System.out.println("  " + line));
    List<Path> deleted =
        stateDir == null
            ? stack.deleteData(stack.dataDir().resolve(QuickstartTraffic.FILE))
            : stack.deleteData(stateDir, stack.dataDir().resolve(QuickstartTraffic.FILE));
    System.out.println(
        "--fresh: deleted "
            + (deleted.isEmpty()
                ? "nothing (no data yet)"
                : deleted.stream().map(Path::toString).collect(Collectors.joining(", "))));
    for (LocalStack.Service s : stack.status()) {
      boolean local = s.name().equals("Kafka") ? q.localKafka() : q.localClickHouse();
      if (!local || s.how() == LocalStack.How.EXTERNAL) {
        System.out.println(
            "--fresh: "
                + s.name()
                + " at "
                + s.address()
                + " was not started from "
                + stack.dataDir()
                + " and keeps its data"
                + (s.name().equals("Kafka")
                    ? " (topics and offsets)"
                    : " (database " + options.clickhouse().database() + ")"));
      }
    }
  }

  /**
   * Produces live traffic and prints the tables every {@link #REFRESH} until the deadline or a stop
   * signal, and sooner while the service table's headline lines wait for their first rows: it is
   * polled every {@link #FIRST_ROWS_POLL} then, and printed as soon as one appears. A job that
   * fails or ends meanwhile ends quickstart with its cause.
   */
  private static void live(
      KpiOptions options,
      ClickHouseHttp http,
      TrafficProducer producer,
      QuickstartTraffic traffic,
      Path dataDir,
      StreamingRun job,
      Duration duration)
      throws Exception {
    Instant last = traffic.until();
    long deadline =
        duration == null ? Long.MAX_VALUE : System.currentTimeMillis() + duration.toMillis();
    LiveKpiTable table = LiveKpiTable.forStdout(options.zone());
    int headlines = 0;
    long nextPrint = System.currentTimeMillis() + REFRESH.toMillis();
    while (System.currentTimeMillis() < deadline && !job.stopping()) {
      failIfEnded(job);
      boolean waiting = headlines < LiveKpiTable.HEADLINES;
      long wake = waiting ? System.currentTimeMillis() + FIRST_ROWS_POLL.toMillis() : nextPrint;
      Thread.sleep(
          Math.max(0, Math.min(Math.min(wake, nextPrint), deadline) - System.currentTimeMillis()));
      Instant now = Instant.now();
      boolean print = now.toEpochMilli() >= nextPrint || now.toEpochMilli() >= deadline;
      if (!print && waiting) {
        int shown = headlines(table, http, now);
        print = shown > headlines;
      }
      if (!print) {
        continue;
      }
      producer.produce(last, now);
      traffic.until(now).save(dataDir);
      last = now;
      headlines = Math.max(headlines, printTable(table, options, http, producer.produced()));
      System.out.println(job.status());
      nextPrint = System.currentTimeMillis() + REFRESH.toMillis();
    }
    failIfEnded(job);
  }

  /** The headline lines with a row now; 0 while ClickHouse does not answer. */
  private static int headlines(LiveKpiTable table, ClickHouseHttp http, Instant now) {
    try {
      return table.headlines(http.queryJson(LiveKpiTable.QUERY), now);
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private static void failIfEnded(StreamingRun job) {
    Optional<Exception> failed = job.failure();
    if (failed.isPresent()) {
      throw new IllegalStateException(
          "the streaming jobs failed: " + Failures.describe(failed.get()), failed.get());
    }
  }

  /** Prints the tables; returns how many of the service table's headline lines had a row. */
  private static int printTable(
      LiveKpiTable table, KpiOptions options, ClickHouseHttp http, long produced) {
    try {
      List<Map<String, Object>> rows = http.queryJson(LiveKpiTable.QUERY);
      Instant now = Instant.now();
      System.out.print(table.render(rows, now, produced));
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
      return table.headlines(rows, now);
    } catch (RuntimeException e) {
      System.out.println("(ClickHouse not readable right now: " + e.getMessage() + ")");
      return 0;
    }
  }

  private static void stopQuietly(StreamingRun job, LocalStack kafkaToStop) {
    if (job != null) {
      job.stop(); // with a savepoint: the next quickstart resumes from it
    }
    if (kafkaToStop != null) {
      kafkaToStop.stopKafka();
    }
  }
}
