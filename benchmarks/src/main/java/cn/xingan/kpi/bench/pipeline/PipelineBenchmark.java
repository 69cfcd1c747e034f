package cn.xingan.kpi.bench.pipeline;

import cn.xingan.kpi.app.Pipelines;
import cn.xingan.kpi.bench.jmh.JmhSuite;
import cn.xingan.kpi.bench.peers.ClickHousePeer;
import cn.xingan.kpi.bench.peers.FlinkSqlPeer;
import cn.xingan.kpi.bench.peers.PeerResult;
import cn.xingan.kpi.config.ClickHouseEndpoint;
import cn.xingan.kpi.config.EngineOptions;
import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.local.ClickHouseServer;
import cn.xingan.kpi.local.LocalStack;
import cn.xingan.kpi.sink.ClickHouseHttp;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code bin/kpi bench}: every figure of the speed issue in one run on this machine — the same
 * pre-loaded events through Kafka alone (B), decode, the pipeline with and without ClickHouse at
 * parallelism 1 and 2, the peers, backfill, arrival-to-visible latency, inserts per table and heap
 * after a short and a long history — and each goal as a ratio of two figures of the run.
 */
public final class PipelineBenchmark {
  /** The names {@code --only} takes, in the order the runs are measured. */
  static final List<String> RUNS =
      List.of(
          "raw",
          "decoded",
          "service",
          "discard",
          "discard-p2",
          "clickhouse",
          "backfill",
          "sql-peer",
          "ch-peer",
          "latency",
          "profile",
          "jmh",
          "heap");

  static final String USAGE =
      """
      Usage: bin/kpi bench [--events N] [--heap-events N] [--latency-seconds S]
                           [--latency-rate N] [--state-backend rocksdb|hashmap] [--seed N] [--profile]
                           [--skip-heap] [--only RUN,...] [--write-results [PATH]]

      Starts its own ClickHouse and Kafka (in a temporary folder), pre-loads N events of all three
      streams (default 2,000,000; the League's rate, ending now) and measures each run over them in
      one go; prints events/s, the goals as ratios, and checks of the results. --heap-events is the
      long history of the heap run (default 10,000,000; the short one is --events).
      --latency-seconds is how long the live traffic of the latency run lasts (default 120: a dozen
      emit intervals, so p99 is not one interval's luck); --latency-rate its events/s (default 70%%
      of the pipeline's measured rate at p=1, which the goal is stated at); with
      BENCH_JAVA_OPTS=-Dbench.trace=true it prints every 2 s the events sent, read by the job and
      visible, and the last checkpoint's time and size. --profile adds a
      JFR-profiled run of the pipeline into ClickHouse and prints where the CPU went (RocksDB's
      native calls included).
      --only runs just the named runs (to look at one figure; goals need both of their figures):
      %s; peers is sql-peer,ch-peer.
      --write-results writes the report to PATH (default benchmarks/RESULTS.md).
      """
          .formatted(String.join(",", RUNS));

  private PipelineBenchmark() {}

  /** The options of a benchmark run. */
  record Options(
      long events,
      long heapEvents,
      Duration latency,
      long latencyRate,
      String stateBackend,
      long seed,
      boolean profile,
      boolean skipHeap,
      Path results,
      Set<String> only,
      ZoneId zone) {
    /** Whether the run is measured: all are, unless {@code --only} names some. */
    boolean on(String run) {
      return only.isEmpty() ? !run.equals("profile") || profile : only.contains(run);
    }

    static Options parse(String[] args) {
      long events = 2_000_000;
      long heap = 10_000_000;
      Duration latency = Duration.ofSeconds(120);
      long latencyRate = 0; // 0: 70% of the measured rate
      String backend = "rocksdb";
      long seed = 2026;
      boolean profile = false;
      boolean skipHeap = false;
      Path results = null;
      Set<String> only = new LinkedHashSet<>();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--events" -> events = positive(a, args, ++i);
          case "--heap-events" -> heap = positive(a, args, ++i);
          case "--latency-seconds" -> latency = Duration.ofSeconds(positive(a, args, ++i));
          case "--latency-rate" -> latencyRate = positive(a, args, ++i);
          case "--seed" -> seed = positive(a, args, ++i);
          case "--state-backend" -> {
            backend = value(a, args, ++i);
            if (!backend.equals("rocksdb") && !backend.equals("hashmap")) {
              throw new IllegalArgumentException(
                  "--state-backend '" + backend + "' must be rocksdb or hashmap");
            }
          }
          case "--profile" -> profile = true;
          case "--skip-heap" -> skipHeap = true;
          case "--only" -> {
            for (String run : value(a, args, ++i).replace("peers", "sql-peer,ch-peer").split(",")) {
              if (!RUNS.contains(run.trim())) {
                throw new IllegalArgumentException(
                    "--only '" + run + "' is not a run; runs are " + String.join(",", RUNS));
              }
              only.add(run.trim());
            }
          }
          case "--write-results" -> {
            results =
                i + 1 < args.length && !args[i + 1].startsWith("--")
                    ? Path.of(args[++i])
                    : Path.of("benchmarks", "RESULTS.md");
          }
          case "--help", "-h" -> {
            System.out.print(USAGE);
            System.exit(0);
          }
          default -> throw new IllegalArgumentException("unknown option '" + a + "'\n" + USAGE);
        }
      }
      if (heap < events) {
        throw new IllegalArgumentException(
            "--heap-events " + heap + " must be at least --events " + events);
      }
      return new Options(
          events,
          heap,
          latency,
          latencyRate,
          backend,
          seed,
          profile,
          skipHeap,
          results,
          Set.copyOf(only),
          ZoneId.of("Asia/Shanghai"));
    }

    private static String value(String option, String[] args, int i) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }

    private static long positive(String option, String[] args, int i) {
      String v = value(option, args, i).replace("_", "").replace(",", "");
      try {
        long n = Long.parseLong(v);
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // below
      }
      throw new IllegalArgumentException(
          option + " '" + args[i] + "' must be a whole number greater than zero");
    }
  }

  public static void main(String[] args) throws Exception {
    Options opts;
    try {
      opts = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bin/kpi bench: " + e.getMessage());
      System.exit(2);
      return;
    }
    long began = System.nanoTime();
    Path work = Files.createTempDirectory("kpi-bench");
    Report report = new Report();
    List<String> machine = machine();
    machine.forEach(m -> System.out.println("machine: " + m));
    try {
      try (ClickHouseServer ch = ClickHouseServer.launch()) {
        machine.add(
            "ClickHouse "
                + new ClickHouseHttp(ch.endpoint("default")).query("SELECT version()").trim());
        String bootstrap = "127.0.0.1:" + freePort();
        LocalStack kafka =
            LocalStack.in(work, ch.url(), bootstrap, KpiOptions.defaults().clickhouse().database());
        kafka.startKafka();
        try {
          new Runs(opts, ch, bootstrap, work, report).all();
        } finally {
          kafka.stopKafka();
        }
      }
    } finally {
      deleteTree(work); // GBs of Kafka log and JSON
    }
    double minutes = (System.nanoTime() - began) / 60e9;
    report.note(String.format("the whole benchmark took %.1f minutes", minutes));
    System.out.print(report.text());
    if (opts.results() != null) {
      String command = "bin/kpi bench " + String.join(" ", args);
      Files.writeString(
          opts.results(),
          report.markdown(
              command.trim(), machine, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
      System.out.println("written: " + opts.results());
    }
    System.exit(report.checksPassed() ? 0 : 1);
  }

  /** The runs, in the order they are measured. */
  private record Runs(Options o, ClickHouseServer ch, String bootstrap, Path work, Report report) {
    /** The rate the latency run assumes when {@code --only} left out the run into ClickHouse. */
    static final int UNMEASURED_RATE = 60_000;

    void all() throws Exception {
      BenchData data = new BenchData(o.seed(), o.zone());
      Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
      System.out.printf("pre-loading %,d events into Kafka and files ...%n", o.events());
      Preload.Counts in =
          Preload.write(
              data,
              o.events(),
              end,
              bootstrap,
              work.resolve("all.jsonl"),
              work.resolve("service.jsonl"));
      long service = in.byStream().getOrDefault(EventStream.SERVICE_TRANSACTIONS, 0L);
      report.note(
          String.format(
              Locale.ROOT,
              "input: %,d events (%s), %,d MB of JSON, event times %s to %s, pre-loaded in %.0f s",
              in.events(),
              in.byStream(),
              in.bytes() >> 20,
              in.from(),
              in.to(),
              in.seconds()));

      EngineOptions p1 = engine(1, "p1");
      // not counted: the JIT compiles the job's code and Flink's, so the first figure is not
      // slower for being first
      System.out.println("warm-up: Kafka to discard once ...");
      BenchJobs.raw(options("warm-raw", "bench"), p1, "bench-warm-raw");
      Report.Figure raw =
          measure(
              "raw",
              "B: Kafka -> bytes -> discard",
              in.events(),
              () -> BenchJobs.raw(options("raw", "bench"), p1, "bench-raw"),
              "p=1");
      measure(
          "decoded",
          "decode + validate -> discard",
          in.events(),
          () -> BenchJobs.decoded(options("decoded", "bench"), p1),
          "p=1");
      // the first pipeline run, so a cold JIT counts against us in the comparison with the peer
      Report.Figure serviceOnly =
          measure(
              "service",
              "service pipeline -> discard, p=1",
              service,
              () ->
                  BenchJobs.pipeline(
                      options("svc", "bench"),
                      p1,
                      List.of(EventStream.SERVICE_TRANSACTIONS),
                      false),
              "service stream only (as the peers)");
      BenchJobs.Run r1 =
          o.on("discard") ? BenchJobs.pipelineRun(options("d1", "bench"), p1, in.events()) : null;
      Report.Figure d1 = scaled("pipeline -> discard, p=1", r1);
      BenchJobs.Run r2 =
          o.on("discard-p2")
              ? BenchJobs.pipelineRun(options("d2", "bench"), engine(2, "p2"), in.events())
              : null;
      Report.Figure d2 = scaled("pipeline -> discard, p=2", r2);
      KpiOptions streamed = options("ch", "bench_stream");
      Report.Figure toCh =
          measure(
              "clickhouse",
              "pipeline -> ClickHouse, p=1",
              in.events(),
              () -> BenchJobs.pipeline(streamed, p1, Pipelines.STREAMS, true),
              "all streams, as bin/kpi run");
      if (toCh != null) {
        checkYear(streamed.clickhouse(), in.serviceAccepted(), "pipeline -> ClickHouse");
      }

      Report.Figure backfillService = null;
      if (o.on("backfill")) {
        KpiOptions backfilled = options("bf", "bench_backfill");
        report.figure(
            "backfill -> ClickHouse",
            in.events(),
            BenchJobs.backfill(backfilled, p1, work.resolve("all.jsonl")),
            "all streams, as bin/kpi backfill");
        checkYear(backfilled.clickhouse(), in.serviceAccepted(), "backfill");
        if (toCh != null) {
          checkSameFinalRows(streamed.clickhouse(), backfilled.clickhouse());
        }
        KpiOptions serviceBackfilled = options("bfs", "bench_backfill_service");
        backfillService =
            report.figure(
                "backfill of the service events -> ClickHouse",
                service,
                BenchJobs.backfill(serviceBackfilled, p1, work.resolve("service.jsonl")),
                "service stream only (as the ClickHouse peer)");
        checkYear(serviceBackfilled.clickhouse(), in.serviceAccepted(), "service backfill");
      }

      if (toCh != null && raw != null) {
        report.goal(
            "pipeline -> ClickHouse / B",
            toCh.perSecond() / raw.perSecond(),
            true,
            0.3,
            "events/s ratio");
      }
      if (r1 != null && r2 != null) {
        report.goal(
            "pipeline p=2 / p=1",
            r2.steadyPerSecond() / r1.steadyPerSecond(),
            true,
            1.6,
            String.format(
                Locale.ROOT,
                "steady events/s ratio (the middle 80%% of the input), results dropped;"
                    + " %.2f over the whole runs",
                d2.perSecond() / d1.perSecond()));
      }
      if (o.on("sql-peer") || o.on("ch-peer")) {
        try {
          peers(in, service, serviceOnly, backfillService);
        } catch (Exception e) {
          report.check("the peers ran: " + e.toString().lines().findFirst().orElse(""), false);
          e.printStackTrace();
        }
      }

      if (o.on("latency")) {
        latency(toCh, d1);
      }
      if (o.on("profile")) {
        try (Profile profile = new Profile(work.resolve("pipeline.jfr"))) {
          double s =
              BenchJobs.pipeline(options("prof", "bench_profile"), p1, Pipelines.STREAMS, true);
          report.figure("pipeline -> ClickHouse, p=1, under JFR", in.events(), s, "profiled");
          report.profile(profile.summary(15));
        }
      }
      if (o.on("jmh")) {
        System.out.println("JMH: the decoder and period assignment (forked JVMs) ...");
        JmhSuite.Report jmh = JmhSuite.run(JmhSuite.DEFAULT_BUDGET);
        java.io.ByteArrayOutputStream jmhText = new java.io.ByteArrayOutputStream();
        jmh.print(new java.io.PrintStream(jmhText, true, java.nio.charset.StandardCharsets.UTF_8));
        for (String line : jmhText.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
          report.note("JMH " + line.trim());
        }
      }
      if (o.on("heap") && !o.skipHeap()) {
        heap();
      }
    }

    /** A measured run's time in seconds. */
    private interface Timed {
      double seconds() throws Exception;
    }

    /** A run of the scaling pair as a figure (whole run), its steady rate in the note. */
    private Report.Figure scaled(String name, BenchJobs.Run run) {
      return run == null
          ? null
          : report.figure(
              name,
              run.events(),
              run.seconds(),
              String.format(Locale.ROOT, "all streams; steady %,.0f/s", run.steadyPerSecond()));
    }

    /** The run's figure, or {@code null} when {@code --only} leaves the run out. */
    private Report.Figure measure(String run, String name, long events, Timed timed, String note)
        throws Exception {
      return o.on(run) ? report.figure(name, events, timed.seconds(), note) : null;
    }

    /**
     * Arrival to visible under live service traffic at 70% of the pipeline's measured maximum rate:
     * the lower of its two runs at p=1 over the same events (into ClickHouse, and discarding), as
     * one run alone varied from 112k to 193k events/s here; {@link #UNMEASURED_RATE} when both were
     * left out; {@code --latency-rate} when given (to see how the delay grows with the load).
     */
    private void latency(Report.Figure toCh, Report.Figure discard) throws Exception {
      EngineOptions p1 = engine(1, "p1");
      double max =
          Stream.of(toCh, discard)
              .filter(Objects::nonNull)
              .mapToDouble(Report.Figure::perSecond)
              .min()
              .orElse(UNMEASURED_RATE);
      boolean chosen = o.latencyRate() > 0;
      double rate = chosen ? o.latencyRate() : 0.7 * max;
      System.out.printf(
          "latency: live service traffic at %,.0f events/s for %d s ...%n",
          rate, o.latency().toSeconds());
      KpiOptions live = options("live", "bench_latency");
      LatencyRun.Result lat =
          LatencyRun.run(live, p1, rate, o.latency(), Duration.ofSeconds(15), o.seed(), o.zone());
      report.note(
          String.format(
              Locale.ROOT,
              "latency at %,.0f events/s (%s): %,d events,"
                  + " arrival to visible p50 %.2f s, p99 %.2f s, max %.2f s (emit interval %d s)%s",
              lat.perSecond(),
              chosen
                  ? "--latency-rate"
                  : toCh != null || discard != null
                      ? String.format(Locale.ROOT, "70%% of the pipeline's %,.0f/s at p=1", max)
                      : "70% of an assumed " + UNMEASURED_RATE + "/s",
              lat.events(),
              lat.p50Seconds(),
              lat.p99Seconds(),
              lat.maxSeconds(),
              live.emitInterval().toSeconds(),
              lat.note().isEmpty() ? "" : "; " + lat.note()));
      report.goal(
          "p99 arrival -> visible, s",
          lat.p99Seconds(),
          false,
          live.emitInterval().toSeconds() + 2,
          "emit interval + 2 s");
      double worst = lat.insertsPerSecond().values().stream().mapToDouble(v -> v).max().orElse(0);
      report.note(
          "inserts per second per table at steady state: "
              + lat.insertsPerSecond()
              + " (inserts counted: "
              + lat.insertCounts()
              + ")");
      report.goal(
          "inserts/s per table per sink subtask (worst)",
          worst / lat.sinkSubtasks(),
          false,
          1,
          "during the latency run");
    }

    private void heap() throws Exception {
      System.out.printf("heap: %,d events generated in the job ...%n", o.heapEvents());
      HeapRun.Result heap =
          HeapRun.run(
              options("heap", "bench"),
              engine(1, "heap").withStateBackend("hashmap"),
              o.events(),
              o.heapEvents(),
              o.seed(),
              o.zone());
      report.figure(
          "heap run: generated -> pipeline -> discard",
          heap.lastEvents(),
          heap.seconds(),
          "hashmap state, in-job generator");
      report.note(
          String.format(
              "heap after a full GC: %,d MB after %,d events, %,d MB after %,d events",
              heap.firstHeap() >> 20,
              heap.firstEvents(),
              heap.lastHeap() >> 20,
              heap.lastEvents()));
      report.goal(
          "heap after long / after short history",
          (double) heap.lastHeap() / heap.firstHeap(),
          false,
          1.1,
          String.format(
              "%,d vs %,d events, state on the heap", heap.lastEvents(), heap.firstEvents()));
    }

    /** The Flink SQL and ClickHouse peers on the same service events (see the peers package). */
    private void peers(
        Preload.Counts in, long service, Report.Figure serviceOnly, Report.Figure backfillService)
        throws Exception {
      if (o.on("sql-peer")) {
        PeerResult sql =
            FlinkSqlPeer.run(bootstrap, EventStream.SERVICE_TRANSACTIONS.topic(), o.zone(), 1);
        Report.Figure sqlFigure =
            report.figure("Flink SQL peer -> discard, p=1", service, sql.seconds(), sql.detail());
        report.check(
            String.format(
                "Flink SQL peer: the league's year rows count %,d accepted, the input holds %,d",
                sql.leagueYearAccepted(), in.serviceAccepted()),
            sql.leagueYearAccepted() == in.serviceAccepted());
        if (serviceOnly != null) {
          report.goal(
              "service pipeline / Flink SQL peer",
              serviceOnly.perSecond() / sqlFigure.perSecond(),
              true,
              1.5,
              "events/s ratio, same service events from Kafka, results dropped");
        }
      }
      if (o.on("ch-peer")) {
        PeerResult chPeer =
            ClickHousePeer.run(ch.endpoint("default"), work.resolve("service.jsonl"), o.zone());
        Report.Figure chFigure =
            report.figure(
                "ClickHouse peer (JSON -> INSERT SELECT)",
                chPeer.events(),
                chPeer.seconds(),
                chPeer.detail());
        report.check(
            String.format(
                "ClickHouse peer: %,d events loaded, %,d rows; the league's year rows count %,d"
                    + " accepted, the input holds %,d",
                chPeer.events(), chPeer.rows(), chPeer.leagueYearAccepted(), in.serviceAccepted()),
            chPeer.events() == service && chPeer.leagueYearAccepted() == in.serviceAccepted());
        if (backfillService != null) {
          report.goal(
              "service backfill / ClickHouse peer",
              backfillService.perSecond() / chFigure.perSecond(),
              true,
              1.5,
              "events/s ratio, the same JSON Lines file");
        }
      }
    }

    private void checkYear(ClickHouseEndpoint endpoint, long accepted, String run) {
      String v =
          new ClickHouseHttp(endpoint)
              .query(
                  "SELECT sum(accepted) FROM kpi_service FINAL"
                      + " WHERE scope = 'league' AND period = 'year' FORMAT TSV")
              .trim();
      report.check(
          String.format(
              "%s: the league's year rows count %s accepted, the input holds %,d",
              run, v, accepted),
          v.equals(String.valueOf(accepted)));
    }

    private void checkSameFinalRows(ClickHouseEndpoint a, ClickHouseEndpoint b) {
      String sql =
          "SELECT count(), sum(cityHash64(period, period_start, scope, scope_key, accepted,"
              + " completed, rejected, completed_on_time)) FROM kpi_service FINAL"
              + " WHERE is_final FORMAT TSV";
      String x = new ClickHouseHttp(a).query(sql).trim();
      String y = new ClickHouseHttp(b).query(sql).trim();
      report.check(
          "streaming and backfill give the same final kpi_service rows (count, hash): "
              + x
              + " / "
              + y,
          x.equals(y));
    }

    private KpiOptions options(String run, String database) {
      return KpiOptions.builder()
          .clickhouse(ch.endpoint(database))
          .kafkaBootstrap(bootstrap)
          .kafkaGroupId("bench-" + run)
          .zone(o.zone())
          .build();
    }

    private EngineOptions engine(int parallelism, String run) {
      return EngineOptions.defaults()
          .withParallelism(parallelism)
          .withStateBackend(o.stateBackend())
          .withStateDir(work.resolve("state-" + run));
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static List<String> machine() {
    List<String> m = new ArrayList<>();
    m.add(Runtime.getRuntime().availableProcessors() + " cores");
    try {
      Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .findFirst()
          .ifPresent(l -> m.add(l.substring(l.indexOf(':') + 1).trim()));
      Files.readAllLines(Path.of("/proc/meminfo")).stream()
          .filter(l -> l.startsWith("MemTotal"))
          .findFirst()
          .ifPresent(l -> m.add("memory " + l.replaceAll("\\D+", "") + " kB"));
    } catch (IOException e) {
      m.add("(no /proc: " + e.getMessage() + ")");
    }
    m.add(
        "Java "
            + System.getProperty("java.version")
            + ", heap max "
            + (Runtime.getRuntime().maxMemory() >> 20)
            + " MB");
    return m;
  }
}
