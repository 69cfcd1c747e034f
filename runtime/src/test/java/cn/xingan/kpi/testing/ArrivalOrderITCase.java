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
import cn.xingan.kpi.testing.projects.ProjectOracle;
import cn.xingan.kpi.testing.projects.ProjectYear;
import cn.xingan.kpi.testing.projects.ProjectYear.Ev;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming equals backfill for the project stream, whatever order the job admits the events in,
 * with real Kafka and ClickHouse: {@link ArrivalOrders}' history is produced to {@code
 * project-progress} in 20 orders (late registrations that move scopes, late progress, late
 * corrections, ties at one instant, a start milestone that withdraws an alert, an event released
 * into a final week, a repeated event, a project never registered), each streamed by the job on a
 * MiniCluster (parallelism 2, two partitions, a bounded read) into a database of its own, and
 * compared with a backfill of the same lines and with {@link ProjectOracle}.
 *
 * <p>"The same", read as the contract says (FINAL, the views):
 *
 * <ul>
 *   <li><b>kpi_project</b>: every row of the backfill is in streaming with every column equal but
 *       {@code version} (at least the backfill's: a correction raises it) and {@code updated_at}. A
 *       row only streaming has is one of a scope that had a fact of the period only while a late
 *       registration had not arrived: it is final, without flow, and its stock is the oracle's for
 *       that scope and period (a row cannot be deleted). The backfill equals the oracle row for
 *       row, with version = 2 × events + 1.
 *   <li><b>project_alerts</b>: {@code project_alerts_current} holds the same alerts in the same
 *       state (all columns but version, at least the backfill's, and updated_at); an alert only
 *       streaming has is withdrawn. The backfill's alerts are the oracle's, at its versions.
 *   <li><b>rejected_events</b> FINAL: the same records for the same reasons (the source is the
 *       topic or the file), each once; also after the first order is streamed a second time (the
 *       records read again, as a restart from an early checkpoint does) and after a second
 *       backfill.
 * </ul>
 */
class ArrivalOrderITCase {
  private static final int ORDERS = 20;
  private static final long THROTTLE_MILLIS = 25;

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final ClickHouseExtension CLICKHOUSE = new ClickHouseExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @TempDir Path dir;

  @Test
  void twentyAdmittedArrivalOrdersGiveTheBackfillsRowsAndAlerts() throws Exception {
    List<Ev> history = ArrivalOrders.history();
    ProjectOracle oracle =
        new ProjectOracle(
            history.stream().filter(e -> !e.projectId().equals(ArrivalOrders.UNKNOWN)).toList(),
            ProjectYear.ZONE);
    String topic = EventStream.PROJECT_PROGRESS.topic();
    KAFKA.createTopics(2, topic);

    ClickHouseHttp bf = database("backfill");
    Path file = dir.resolve("projects.jsonl");
    List<String> lines = new ArrayList<>();
    for (Ev e : ArrivalOrders.order(history, 0)) {
      lines.add(ProjectYear.json(e, topic)); // the repeat included: the same lines
    }
    Files.write(file, lines, StandardCharsets.UTF_8);
    Snapshot backfill;
    try {
      runBackfill(bf, file);
      backfill = Snapshot.read(bf);
      assertBackfillMatchesOracle(backfill, oracle);
      runBackfill(bf, file);
      assertThat(Snapshot.read(bf)).as("a second backfill").isEqualTo(backfill);
    } finally {
      bf.dropDatabaseIfExists();
    }

    int behind = 0;
    int extraRows = 0;
    int withdrawn = 0;
    int raised = 0;
    for (int k = 0; k < ORDERS; k++) {
      List<Ev> order = ArrivalOrders.order(history, 1000 + k);
      assertThat(ArrivalOrders.admitted(order)).isTrue();
      assertThat(new HashSet<>(order)).isEqualTo(new HashSet<>(history));
      behind += ArrivalOrders.behindTheWatermark(order);
      ClickHouseHttp db = database("order" + k);
      try {
        List<String> groups = List.of("g-" + UUID.randomUUID(), "g-" + UUID.randomUUID());
        for (String g : groups) {
          KAFKA.client().startGroupAtTheEnd(g, topic);
        }
        KAFKA.produceStrings(
            topic,
            order.stream().map(e -> Map.entry(e.projectId(), ProjectYear.json(e, null))).toList());
        runStreaming(db, groups.get(0));
        Snapshot streamed = Snapshot.read(db);
        String at = "order " + k;
        assertSameAsBackfill(at, streamed, backfill, oracle);
        if (k == 0) {
          // The same records read again by the job (as after a restart from an early checkpoint).
          runStreaming(db, groups.get(1));
          Snapshot again = Snapshot.read(db);
          assertThat(again.rows).as(at + " replayed").isEqualTo(streamed.rows);
          assertThat(again.rejected).isEqualTo(streamed.rejected);
          assertThat(again.currentAlerts.keySet()).isEqualTo(streamed.currentAlerts.keySet());
          again.currentAlerts.forEach(
              (id, a) ->
                  assertThat(withoutVersion(a))
                      .as(at + " replayed " + id)
                      .isEqualTo(withoutVersion(streamed.currentAlerts.get(id))));
        }
        extraRows += streamed.rows.size() - backfill.rows.size();
        withdrawn += streamed.alerts.size() - streamed.currentAlerts.size();
        for (Map.Entry<String, Map<String, Object>> r : backfill.rows.entrySet()) {
          raised += version(streamed.rows.get(r.getKey())) > version(r.getValue()) ? 1 : 0;
        }
      } finally {
        db.dropDatabaseIfExists();
      }
    }
    // The orders did what they are for.
    assertThat(behind).as("events that arrived behind the watermark").isGreaterThan(10 * ORDERS);
    assertThat(raised).as("rows whose version a correction raised").isGreaterThan(20 * ORDERS);
    assertThat(withdrawn).as("alerts withdrawn").isGreaterThan(ORDERS / 2);
    assertThat(extraRows).as("rows of scopes a late registration emptied").isGreaterThan(5);
  }

  /**
   * The measured case that stopped the job for good: registered in arxan on 2026-01-12, an
   * investment on 01-13, then the project's earlier registration in tuquan on 01-09, admitted (the
   * week 01-05..11 is final only from 01-19) but behind the watermark. It used to be applied last,
   * arxan's week of 01-05 got projects = -1, ClickHouse refused the UInt32 and the sink stopped all
   * three streams. Streamed with service and market records after it, the job runs to the end of
   * its input and writes the backfill's figures, and the other streams' rows.
   */
  @Test
  void anEarlierRegistrationArrivingLastNoLongerStopsTheJob() throws Exception {
    List<String> topics =
        List.of(
            EventStream.PROJECT_PROGRESS.topic(),
            EventStream.SERVICE_TRANSACTIONS.topic(),
            EventStream.MARKET_STALL_COUNTS.topic());
    KAFKA.createTopics(2, topics.toArray(String[]::new));
    String group = "g-" + UUID.randomUUID();
    for (String t : topics) {
      KAFKA.client().startGroupAtTheEnd(group, t);
    }
    String reg =
        "{\"event_id\":\"%s\",\"event_time\":\"%s\",\"project_id\":\"M1\","
            + "\"type\":\"registered\",\"project_name\":\"测量 M1\",\"county\":\"%s\","
            + "\"chain\":\"dairy\",\"list\":\"key\",\"planned_total_cny\":%s,"
            + "\"planned_year_cny\":%s,\"planned_start\":\"2026-01-15\","
            + "\"planned_completion\":\"2026-12-31\"}";
    KAFKA.produceStrings(
        topics.get(0),
        List.of(
            Map.entry("M1", reg.formatted("m-1", "2026-01-12T10:00:00+08:00", "arxan", 2000, 1000)),
            Map.entry(
                "M1",
                "{\"event_id\":\"m-2\",\"event_time\":\"2026-01-13T10:00:00+08:00\","
                    + "\"project_id\":\"M1\",\"type\":\"investment\",\"amount_cny\":500}"),
            Map.entry(
                "M1", reg.formatted("m-3", "2026-01-09T10:00:00+08:00", "tuquan", 4000, 2000))));
    String service =
        "{\"event_id\":\"%s\",\"event_time\":\"%s\",\"transaction_id\":\"NR-1\","
            + "\"service_code\":\"mortgage-filing\",\"service_name\":\"不动产抵押登记\","
            + "\"department\":\"natural-resources\",\"county\":\"ulanhot\","
            + "\"status\":\"%s\",\"channel\":\"online\",\"statutory_days\":30,"
            + "\"promised_days\":5%s}";
    KAFKA.produceStrings(
        topics.get(1),
        List.of(
            Map.entry(
                "NR-1", service.formatted("s-1", "2026-01-13T11:00:00+08:00", "accepted", "")),
            Map.entry(
                "NR-1",
                service.formatted(
                    "s-2",
                    "2026-01-14T11:00:00+08:00",
                    "completed",
                    ",\"accepted_at\":\"2026-01-13T11:00:00+08:00\",\"visits\":0"))));
    KAFKA.produceStrings(
        topics.get(2),
        List.of(
            Map.entry(
                "tuanjie",
                "{\"event_id\":\"k-1\",\"event_time\":\"2026-01-14T21:00:00+08:00\","
                    + "\"market_id\":\"tuanjie\",\"market_name\":\"团结夜市\","
                    + "\"county\":\"ulanhot\",\"market_type\":\"night\","
                    + "\"status\":\"operating\",\"stalls_total\":320,"
                    + "\"stalls_occupied\":287}")));
    ClickHouseHttp db = database("measured");
    try {
      KpiOptions options = options(db, group);
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.streaming(ENGINE));
      env.setParallelism(2);
      new KpiJob(
              new InputStage(
                  new KafkaSources(
                      options,
                      List.of(
                          EventStream.PROJECT_PROGRESS,
                          EventStream.SERVICE_TRANSACTIONS,
                          EventStream.MARKET_STALL_COUNTS),
                      true),
                  s -> new InputStage.Throttle(300)),
              new ClickHouseSinks(options, false),
              options,
              false)
          .build(env);
      env.execute("measured case"); // throws if the job failed

      Map<String, Map<String, Object>> rows = Snapshot.read(db).rows;
      assertThat(rows.get("week|2026-01-05|county|tuquan"))
          .containsEntry("projects", 1)
          .containsEntry("planned", "2000.00");
      assertThat(rows.get("week|2026-01-12|county|arxan"))
          .containsEntry("projects", 1)
          .containsEntry("planned", "1000.00")
          .containsEntry("investment", "500.00");
      assertThat(rows.get("week|2026-01-12|county|tuquan")).containsEntry("projects", 0);
      assertThat(rows).doesNotContainKey("week|2026-01-05|county|arxan");
      assertThat(
              db.query(
                      "SELECT accepted, completed FROM kpi_service_final WHERE scope = 'league'"
                          + " AND period = 'week' FORMAT TSV")
                  .strip())
          .isEqualTo("1\t1");
      assertThat(
              db.query(
                      "SELECT observations FROM kpi_market_final WHERE scope = 'league'"
                          + " AND period = 'week' FORMAT TSV")
                  .strip())
          .isEqualTo("1");
    } finally {
      db.dropDatabaseIfExists();
    }
  }

  private static void assertSameAsBackfill(
      String at, Snapshot s, Snapshot b, ProjectOracle oracle) {
    for (Map.Entry<String, Map<String, Object>> e : b.rows.entrySet()) {
      Map<String, Object> row = s.rows.get(e.getKey());
      assertThat(row).as(at + ": row " + e.getKey()).isNotNull();
      assertThat(withoutVersion(row))
          .as(at + ": " + e.getKey())
          .isEqualTo(withoutVersion(e.getValue()));
      assertThat(version(row))
          .as(at + ": version " + e.getKey())
          .isGreaterThanOrEqualTo(version(e.getValue()));
    }
    for (Map.Entry<String, Map<String, Object>> e : s.rows.entrySet()) {
      if (!b.rows.containsKey(e.getKey())) {
        String[] k = e.getKey().split("\\|", -1);
        ProjectOracle.Row x = oracle.row(k[0], LocalDate.parse(k[1]), k[2], k[3]);
        assertThat(withoutVersion(e.getValue()))
            .as(at + ": a row only streaming has, " + e.getKey())
            .isEqualTo(oracleValues(x));
        assertThat(x.investment().signum() == 0 && x.reporting() == 0).isTrue();
      }
    }
    assertThat(s.currentAlerts.keySet()).as(at + ": alerts").isEqualTo(b.currentAlerts.keySet());
    for (Map.Entry<String, Map<String, Object>> e : b.currentAlerts.entrySet()) {
      Map<String, Object> a = s.currentAlerts.get(e.getKey());
      assertThat(withoutVersion(a))
          .as(at + ": alert " + e.getKey())
          .isEqualTo(withoutVersion(e.getValue()));
      assertThat(version(a)).isGreaterThanOrEqualTo(version(e.getValue()));
    }
    for (Map.Entry<String, Map<String, Object>> e : s.alerts.entrySet()) {
      if (!s.currentAlerts.containsKey(e.getKey())) {
        assertThat(e.getValue())
            .as(at + ": an alert not current is withdrawn")
            .containsEntry("withdrawn", 1)
            .containsEntry("status", "resolved");
      }
    }
    assertThat(s.rejected).as(at + ": rejections").isEqualTo(b.rejected);
  }

  private static void assertBackfillMatchesOracle(Snapshot b, ProjectOracle oracle) {
    Map<String, Map<String, Object>> expected = new TreeMap<>();
    for (String period : ProjectScenario.PERIODS) {
      for (String scope : ProjectScenario.SCOPES) {
        oracle.rows(period, scope).forEach((k, x) -> expected.put(k, oracleValues(x)));
      }
    }
    assertThat(b.rows.keySet()).as("backfill rows").isEqualTo(expected.keySet());
    for (Map.Entry<String, Map<String, Object>> e : expected.entrySet()) {
      Map<String, Object> row = b.rows.get(e.getKey());
      assertThat(withoutVersion(row)).as("backfill " + e.getKey()).isEqualTo(e.getValue());
      assertThat(version(row)).isEqualTo(2 * ((Number) row.get("events")).longValue() + 1);
    }
    Map<String, ProjectOracle.Step> last = new TreeMap<>();
    for (ProjectOracle.Step s : oracle.alerts()) {
      last.merge(s.alertId(), s, (x, y) -> y.version() > x.version() ? y : x);
    }
    assertThat(b.currentAlerts.keySet()).as("backfill alerts").isEqualTo(last.keySet());
    assertThat(b.alerts).isEqualTo(b.currentAlerts);
    for (ProjectOracle.Step x : last.values()) {
      Map<String, Object> a = b.currentAlerts.get(x.alertId());
      assertThat(a)
          .as(x.alertId())
          .containsEntry("status", x.status())
          .containsEntry("severity", x.severity())
          .containsEntry("county", x.county())
          .containsEntry("opened", (int) (x.openedAt() / 1000))
          .containsEntry("resolved", (int) (x.resolvedAt() / 1000))
          .containsEntry("version", (int) x.version());
    }
    assertThat(last.keySet())
        .as("the history exercises every rule")
        .anyMatch(id -> id.startsWith("A1:behind_plan"))
        .anyMatch(id -> id.startsWith("A7:start_overdue"))
        .anyMatch(id -> id.startsWith("A7:no_report"));
    assertThat(b.rejected)
        .containsExactlyInAnyOrder("pp-U1-01 unknown_project", "pp-U1-02 unknown_project");
  }

  private static Map<String, Object> oracleValues(ProjectOracle.Row x) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("projects", x.projects());
    m.put("planned", x.planned().setScale(2).toPlainString());
    m.put("investment", x.investment().setScale(2).toPlainString());
    m.put("ytd", x.ytd().setScale(2).toPlainString());
    m.put("projects_reporting", x.reporting());
    m.put("started", x.started());
    m.put("half_complete", x.halfComplete());
    m.put("trial_run", x.trialRun());
    m.put("in_production", x.inProduction());
    m.put("completed", x.completed());
    m.put("progress_pct_avg", x.progressAvg());
    m.put("events", x.events());
    m.put("is_final", 1L);
    return m;
  }

  /** A row's or an alert's columns without version and updated_at, numbers as longs/doubles. */
  private static Map<String, Object> withoutVersion(Map<String, Object> row) {
    Map<String, Object> m = new LinkedHashMap<>();
    row.forEach(
        (k, v) -> {
          if (!k.equals("version") && !k.equals("updated_at") && !k.equals("key")) {
            m.put(k, normal(k, v));
          }
        });
    return m;
  }

  private static Object normal(String column, Object v) {
    if (column.equals("progress_pct_avg")) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof Number n && !(v instanceof BigDecimal)) {
      return n.longValue();
    }
    return v;
  }

  private static long version(Map<String, Object> row) {
    return ((Number) row.get("version")).longValue();
  }

  /** What a run left in ClickHouse, read with FINAL and through the views. */
  private record Snapshot(
      Map<String, Map<String, Object>> rows,
      Map<String, Map<String, Object>> alerts,
      Map<String, Map<String, Object>> currentAlerts,
      List<String> rejected) {

    static Snapshot read(ClickHouseHttp ch) {
      Map<String, Map<String, Object>> rows = new TreeMap<>();
      for (Map<String, Object> r :
          ch.queryJson(
              "SELECT concat(period, '|', toString(period_start), '|', scope, '|', scope_key)"
                  + " AS key, projects, toString(planned_year_cny) AS planned,"
                  + " toString(investment_cny) AS investment, toString(investment_ytd_cny) AS ytd,"
                  + " projects_reporting, started, half_complete, trial_run, in_production,"
                  + " completed, progress_pct_avg, events, is_final, version FROM kpi_project_final")) {
        rows.put((String) r.get("key"), r);
      }
      String alertColumns =
          "SELECT alert_id AS key, project_id, project_name, county, chain, rule, severity,"
              + " status, toUnixTimestamp(opened_at) AS opened,"
              + " toUnixTimestamp(resolved_at) AS resolved, detail, version, withdrawn FROM ";
      Map<String, Map<String, Object>> alerts = new TreeMap<>();
      ch.queryJson(alertColumns + "project_alerts FINAL")
          .forEach(a -> alerts.put((String) a.get("key"), a));
      Map<String, Map<String, Object>> current = new TreeMap<>();
      ch.queryJson(alertColumns + "project_alerts_current")
          .forEach(a -> current.put((String) a.get("key"), a));
      List<String> rejected = new ArrayList<>();
      Set<String> places = new HashSet<>();
      for (Map<String, Object> r :
          ch.queryJson(
              "SELECT source, partition, `offset`, event_id, reason FROM rejected_events_final")) {
        rejected.add(r.get("event_id") + " " + r.get("reason"));
        assertThat(places.add(r.get("source") + ":" + r.get("partition") + "@" + r.get("offset")))
            .as("each rejected record once: " + r)
            .isTrue();
      }
      rejected.sort(null);
      return new Snapshot(rows, alerts, current, rejected);
    }
  }

  private static ClickHouseHttp database(String name) {
    ClickHouseEndpoint main = CLICKHOUSE.endpoint();
    ClickHouseHttp http =
        new ClickHouseHttp(
            new ClickHouseEndpoint(
                main.url(), main.user(), main.password(), main.database() + "_" + name));
    SchemaInstaller.install(http);
    return http;
  }

  private static KpiOptions options(ClickHouseHttp ch, String group) {
    return KpiOptions.builder()
        .clickhouse(ch.endpoint())
        .kafkaBootstrap(KAFKA.bootstrapServers())
        .kafkaGroupId(group)
        .build();
  }

  private static final EngineOptions ENGINE =
      EngineOptions.defaults().withCheckpointInterval(java.time.Duration.ofSeconds(1));

  private static void runStreaming(ClickHouseHttp ch, String group) throws Exception {
    KpiOptions options = options(ch, group);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.streaming(ENGINE));
    env.setParallelism(2);
    // A little time per record, so that watermarks (every 200 ms) keep up with the records, the
    // rules run ahead of late events as they would in a live stream, and alerts get corrected.
    new KpiJob(
            new InputStage(
                new KafkaSources(options, List.of(EventStream.PROJECT_PROGRESS), true),
                s -> new InputStage.Throttle(THROTTLE_MILLIS)),
            new ClickHouseSinks(options, false),
            options,
            false)
        .build(env);
    env.execute("arrival order itcase");
  }

  private static void runBackfill(ClickHouseHttp ch, Path file) throws Exception {
    KpiOptions options = options(ch, "backfill-" + UUID.randomUUID());
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.batch(ENGINE));
    env.setParallelism(2);
    Pipelines.backfill(env, options, file, false);
    env.execute("arrival order backfill");
  }
}
