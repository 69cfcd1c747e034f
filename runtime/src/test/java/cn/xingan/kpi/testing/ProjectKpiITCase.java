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
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project stream end to end, with real Kafka and ClickHouse: a year of 20 projects ({@link
 * ProjectYear}) produced to {@code project-progress}, the streaming job on a MiniCluster with
 * parallelism 2 reading it as a bounded input, and then every {@code kpi_project} row of the league
 * and county scopes for half months and months, and every alert (in {@code project_alerts} and on
 * the topic {@code project-alerts}), checked against {@link ProjectOracle}, which computes them
 * from the events without the job's code. Then {@code backfill} of the same events as JSON Lines
 * must give the same rows in another database, and a second backfill into it must leave the FINAL
 * results unchanged.
 */
class ProjectKpiITCase {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An investment of a project that is never registered: rejected as unknown_project. */
  private static final String UNKNOWN_PROJECT =
      "{\"event_id\":\"pp-P99-1\",\"event_time\":\"2025-06-10T10:00:00+08:00\","
          + "\"project_id\":\"P99\",\"type\":\"investment\",\"amount_cny\":100}";

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

  private static KpiOptions options(ClickHouseEndpoint ch) {
    return options(ch, "project-itcase-" + UUID.randomUUID());
  }

  private static KpiOptions options(ClickHouseEndpoint ch, String group) {
    return KpiOptions.builder()
        .clickhouse(ch)
        .kafkaBootstrap(KAFKA.bootstrapServers())
        .kafkaGroupId(group)
        .build();
  }

  @Test
  void aYearOfProjectsStreamedAndBackfilledMatchesTheOracle() throws Exception {
    List<Ev> events = ProjectYear.generate(20250101L);
    assertThat(events).hasSizeGreaterThan(600);
    ProjectOracle oracle = new ProjectOracle(events, ProjectYear.ZONE);
    String topic = EventStream.PROJECT_PROGRESS.topic();
    KAFKA.createTopics(2, topic, KpiOptions.TOPIC_ALERTS);
    // The topics are shared with the fault tests of this JVM: this test's job reads from where
    // project-progress ends now, and its alerts are those after where project-alerts ends now.
    String group = "project-itcase-" + UUID.randomUUID();
    KAFKA.client().startGroupAtTheEnd(group, topic);
    Map<TopicPartition, Long> alertsFrom = KAFKA.client().endOffsets(KpiOptions.TOPIC_ALERTS);
    List<Map.Entry<String, String>> records =
        events.stream()
            .map(e -> Map.entry(e.projectId(), ProjectYear.json(e, null)))
            .collect(Collectors.toCollection(ArrayList::new));
    // in time order like the rest (June 10), or it would be late rather than unknown
    int june10 =
        (int)
            events.stream()
                .filter(e -> e.local().isBefore(java.time.LocalDateTime.of(2025, 6, 10, 10, 0)))
                .count();
    records.add(june10, Map.entry("P99", UNKNOWN_PROJECT));
    KAFKA.produceStrings(topic, records);

    // Streaming, bounded at the offsets of now.
    KpiOptions options = options(CLICKHOUSE.endpoint(), group);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            FlinkSettings.streaming(
                EngineOptions.defaults().withCheckpointInterval(Duration.ofSeconds(1))));
    env.setParallelism(2);
    new KpiJob(
            new KafkaSources(options, List.of(EventStream.PROJECT_PROGRESS), true),
            new ClickHouseSinks(options, true),
            options,
            false)
        .build(env);
    env.execute("project itcase streaming");

    ClickHouseHttp ch = CLICKHOUSE.http();
    assertRowsMatchOracle(ch, oracle);
    assertAlertsMatchOracle(ch, oracle);
    assertOnlyTheUnknownProjectIsRejected(ch);
    assertKafkaAlertsMatchOracle(oracle, alertsFrom);

    // Backfill of the same events, as a file of JSON Lines, into another database.
    Path file = dir.resolve("projects.jsonl");
    List<String> lines =
        events.stream()
            .map(e -> ProjectYear.json(e, topic))
            .collect(Collectors.toCollection(ArrayList::new));
    lines.add(0, "{\"stream\":\"project-progress\"," + UNKNOWN_PROJECT.substring(1));
    Files.write(file, lines, StandardCharsets.UTF_8);
    ClickHouseEndpoint stream = CLICKHOUSE.endpoint();
    ClickHouseEndpoint backfill =
        new ClickHouseEndpoint(
            stream.url(), stream.user(), stream.password(), stream.database() + "_backfill");
    ClickHouseHttp bf = new ClickHouseHttp(backfill);
    SchemaInstaller.install(bf);
    try {
      runBackfill(backfill, file);
      assertRowsMatchOracle(bf, oracle);
      assertAlertsMatchOracle(bf, oracle);
      assertOnlyTheUnknownProjectIsRejected(bf);
      List<Map<String, Object>> streamed = allProjectRows(ch);
      List<Map<String, Object>> first = allProjectRows(bf);
      assertThat(first).hasSize(streamed.size()).isEqualTo(streamed);
      assertThat(allAlerts(bf)).isEqualTo(allAlerts(ch));

      runBackfill(backfill, file);
      assertThat(allProjectRows(bf)).isEqualTo(first);
      assertThat(allAlerts(bf)).isEqualTo(allAlerts(ch));
      assertOnlyTheUnknownProjectIsRejected(bf); // once, though rejected twice
    } finally {
      bf.dropDatabaseIfExists();
    }
  }

  private static void assertOnlyTheUnknownProjectIsRejected(ClickHouseHttp ch) {
    List<Map<String, Object>> rejected =
        ch.queryJson("SELECT event_id, reason, detail, raw FROM rejected_events_final");
    assertThat(rejected)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.get("event_id")).isEqualTo("pp-P99-1");
              assertThat(r.get("reason")).isEqualTo("unknown_project");
              assertThat((String) r.get("detail")).contains("'P99'");
              assertThat((String) r.get("raw")).contains("\"project_id\":\"P99\"");
            });
  }

  private void runBackfill(ClickHouseEndpoint endpoint, Path file) throws Exception {
    KpiOptions options = options(endpoint);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            FlinkSettings.batch(EngineOptions.defaults().withParallelism(2)));
    Pipelines.backfill(env, options, file, false);
    env.execute("project itcase backfill");
  }

  private static void assertRowsMatchOracle(ClickHouseHttp ch, ProjectOracle oracle) {
    for (String scope : List.of("league", "county")) {
      for (String period : List.of("half_month", "month")) {
        Map<String, ProjectOracle.Row> expected = oracle.rows(period, scope);
        List<Map<String, Object>> rows =
            ch.queryJson(
                "SELECT period, toString(period_start) AS start, toString(period_end) AS end,"
                    + " scope, scope_key, projects, toString(planned_year_cny) AS planned,"
                    + " toString(investment_cny) AS investment,"
                    + " toString(investment_ytd_cny) AS ytd, projects_reporting, started,"
                    + " half_complete, trial_run, in_production, completed, progress_pct_avg,"
                    + " events, is_final, version FROM kpi_project FINAL WHERE scope = '"
                    + scope
                    + "' AND period = '"
                    + period
                    + "'");
        Map<String, Map<String, Object>> actual = new TreeMap<>();
        for (Map<String, Object> r : rows) {
          actual.put(
              r.get("period")
                  + "|"
                  + r.get("start")
                  + "|"
                  + r.get("scope")
                  + "|"
                  + r.get("scope_key"),
              r);
        }
        assertThat(actual.keySet()).as("%s %s rows", scope, period).isEqualTo(expected.keySet());
        assertThat(expected).isNotEmpty();
        for (Map.Entry<String, ProjectOracle.Row> e : expected.entrySet()) {
          Map<String, Object> r = actual.get(e.getKey());
          ProjectOracle.Row x = e.getValue();
          String at = e.getKey();
          assertThat(number(r, "projects")).as(at + " projects").isEqualTo(x.projects());
          assertThat(new BigDecimal((String) r.get("planned")))
              .as(at + " planned")
              .isEqualByComparingTo(x.planned());
          assertThat(new BigDecimal((String) r.get("investment")))
              .as(at + " investment")
              .isEqualByComparingTo(x.investment());
          assertThat(new BigDecimal((String) r.get("ytd")))
              .as(at + " ytd")
              .isEqualByComparingTo(x.ytd());
          assertThat(number(r, "projects_reporting"))
              .as(at + " reporting")
              .isEqualTo(x.reporting());
          assertThat(number(r, "started")).as(at + " started").isEqualTo(x.started());
          assertThat(number(r, "half_complete")).as(at).isEqualTo(x.halfComplete());
          assertThat(number(r, "trial_run")).as(at).isEqualTo(x.trialRun());
          assertThat(number(r, "in_production")).as(at).isEqualTo(x.inProduction());
          assertThat(number(r, "completed")).as(at + " completed").isEqualTo(x.completed());
          assertThat(((Number) r.get("progress_pct_avg")).doubleValue())
              .as(at + " progress")
              .isCloseTo(x.progressAvg(), org.assertj.core.data.Offset.offset(1e-9));
          assertThat(number(r, "events")).as(at + " events").isEqualTo(x.events());
          assertThat(number(r, "is_final")).as(at).isEqualTo(1);
          assertThat(number(r, "version")).as(at).isEqualTo(2 * x.events() + 1);
        }
      }
    }
  }

  private static void assertAlertsMatchOracle(ClickHouseHttp ch, ProjectOracle oracle) {
    Map<String, ProjectOracle.Step> last = new TreeMap<>();
    for (ProjectOracle.Step s : oracle.alerts()) {
      last.merge(s.alertId(), s, (a, b) -> b.version() > a.version() ? b : a);
    }
    List<Map<String, Object>> rows =
        ch.queryJson(
            "SELECT alert_id, project_id, project_name, county, chain, rule, severity, status,"
                + " toUnixTimestamp(opened_at) AS opened, toUnixTimestamp(resolved_at) AS"
                + " resolved, detail, version FROM project_alerts FINAL ORDER BY alert_id");
    assertThat(rows).extracting(r -> r.get("alert_id")).containsExactlyElementsOf(last.keySet());
    assertThat(last.keySet())
        .as("the scenario exercises every rule")
        .anyMatch(id -> id.startsWith("P05:start_overdue"))
        .anyMatch(id -> id.startsWith("P06:no_report"))
        .anyMatch(id -> id.startsWith("P07:behind_plan"));
    assertThat(oracle.alerts())
        .as("severity changes, resolutions and alerts still open at the end")
        .anyMatch(s -> s.status().equals("open") && s.version() > 1)
        .anyMatch(s -> s.status().equals("resolved"))
        .anyMatch(s -> s.alertId().startsWith("P08:") && s.status().equals("open"));
    for (Map<String, Object> r : rows) {
      ProjectOracle.Step x = last.get((String) r.get("alert_id"));
      String at = x.alertId();
      assertThat(r.get("rule")).as(at).isEqualTo(x.rule());
      assertThat(r.get("status")).as(at + " status").isEqualTo(x.status());
      assertThat(r.get("severity")).as(at + " severity").isEqualTo(x.severity());
      assertThat(number(r, "version")).as(at + " version").isEqualTo(x.version());
      assertThat(number(r, "opened")).as(at + " opened").isEqualTo(x.openedAt() / 1000);
      assertThat(number(r, "resolved")).as(at + " resolved").isEqualTo(x.resolvedAt() / 1000);
      assertThat(r.get("county")).as(at + " county").isEqualTo(x.county());
      assertThat((String) r.get("project_name")).startsWith("项目 " + r.get("project_id"));
      assertThat((String) r.get("detail")).contains((String) r.get("project_name"));
    }
  }

  private static void assertKafkaAlertsMatchOracle(
      ProjectOracle oracle, Map<TopicPartition, Long> from) throws Exception {
    Set<String> expected = new HashSet<>();
    for (ProjectOracle.Step s : oracle.alerts()) {
      expected.add(
          s.alertId()
              + " v"
              + s.version()
              + " "
              + s.status()
              + " "
              + s.severity()
              + " "
              + s.openedAt() / 1000
              + " "
              + s.resolvedAt() / 1000);
    }
    Set<String> actual = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> rec : KAFKA.consumeAll(KpiOptions.TOPIC_ALERTS, TIMEOUT)) {
      if (rec.offset() < from.get(new TopicPartition(rec.topic(), rec.partition()))) {
        continue; // another test's alert
      }
      JsonNode a = JSON.readTree(rec.value());
      assertThat(KafkaTestClient.key(rec)).isEqualTo(a.get("alert_id").asText());
      long opened = OffsetDateTime.parse(a.get("opened_at").asText()).toEpochSecond();
      long resolved =
          a.get("resolved_at").isNull()
              ? 0
              : OffsetDateTime.parse(a.get("resolved_at").asText()).toEpochSecond();
      assertThat(a.get("resolved_at").isNull()).isEqualTo(a.get("status").asText().equals("open"));
      assertThat(a.get("opened_at").asText()).endsWith("+08:00");
      actual.add(
          a.get("alert_id").asText()
              + " v"
              + a.get("version").asLong()
              + " "
              + a.get("status").asText()
              + " "
              + a.get("severity").asText()
              + " "
              + opened
              + " "
              + resolved);
    }
    assertThat(actual).isEqualTo(expected);
  }

  /** Every kpi_project row, all columns but updated_at (when it was written). */
  private static List<Map<String, Object>> allProjectRows(ClickHouseHttp ch) {
    return new ArrayList<>(
        ch.queryJson(
            "SELECT period, period_start, period_end, scope, scope_key, projects,"
                + " toString(planned_year_cny) AS p, toString(investment_cny) AS i,"
                + " toString(investment_ytd_cny) AS y, projects_reporting, started,"
                + " half_complete, trial_run, in_production, completed, progress_pct_avg, events,"
                + " is_final, version FROM kpi_project FINAL"
                + " ORDER BY period, scope, scope_key, period_start"));
  }

  private static List<Map<String, Object>> allAlerts(ClickHouseHttp ch) {
    return ch.queryJson(
        "SELECT alert_id, project_id, project_name, county, chain, rule, severity, status,"
            + " toUnixTimestamp(opened_at) AS o, toUnixTimestamp(resolved_at) AS r, detail,"
            + " version FROM project_alerts FINAL ORDER BY alert_id");
  }

  private static long number(Map<String, Object> row, String column) {
    return ((Number) row.get(column)).longValue();
  }
}
