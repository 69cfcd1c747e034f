package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.xingan.kpi.config.ClickHouseEndpoint;
import cn.xingan.kpi.local.ClickHouseServer;
import cn.xingan.kpi.sink.ClickHouseHttp;
import cn.xingan.kpi.sink.SchemaInstaller;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The schema against a real ClickHouse: it installs idempotently, matches the contract column for
 * column, takes JDBC batch inserts of every type we use whatever the JVM's and the server's zones,
 * and FINAL keeps the highest version. Also that a local server keeps its data across a restart.
 */
class ClickHouseSchemaITCase {
  @RegisterExtension static final ClickHouseExtension CLICKHOUSE = new ClickHouseExtension();

  private static final List<String> KEY_COLUMNS =
      List.of(
          "period String",
          "period_start Date",
          "period_end Date",
          "scope String",
          "scope_key String");
  private static final List<String> VERSION_COLUMNS =
      List.of("events UInt64", "is_final UInt8", "version UInt64", "updated_at DateTime");

  /**
   * Written from CONTRACT.md section 3 (plus our additive `events` and `withdrawn`), not from the
   * DDL.
   */
  private static final Map<String, List<String>> CONTRACT = new LinkedHashMap<>();

  static {
    CONTRACT.put(
        "kpi_project",
        kpi(
            "projects UInt32",
            "planned_year_cny Decimal(18, 2)",
            "investment_cny Decimal(18, 2)",
            "investment_ytd_cny Decimal(18, 2)",
            "projects_reporting UInt32",
            "started UInt32",
            "half_complete UInt32",
            "trial_run UInt32",
            "in_production UInt32",
            "completed UInt32",
            "progress_pct_avg Float64"));
    CONTRACT.put(
        "kpi_service",
        kpi(
            "accepted UInt64",
            "completed UInt64",
            "rejected UInt64",
            "completed_on_time UInt64",
            "completed_online UInt64",
            "completed_zero_visit UInt64",
            "processing_hours_sum Float64",
            "processing_hours_max Float64",
            "promised_days_sum UInt64",
            "statutory_days_sum UInt64",
            "satisfaction_responses UInt64",
            "satisfaction_positive UInt64"));
    CONTRACT.put(
        "kpi_market",
        kpi(
            "markets_reporting UInt32",
            "observations UInt64",
            "stalls_occupied_sum UInt64",
            "stalls_total_sum UInt64",
            "stalls_occupied_peak UInt64",
            "markets_operating UInt32",
            "markets_upgrading UInt32",
            "markets_closed UInt32",
            "workers_registered_latest UInt64",
            "jobs_matched UInt64"));
    CONTRACT.put(
        "project_alerts",
        List.of(
            "alert_id String",
            "project_id String",
            "project_name String",
            "county String",
            "chain String",
            "rule String",
            "severity String",
            "status String",
            "opened_at DateTime",
            "resolved_at DateTime",
            "detail String",
            "version UInt64",
            "updated_at DateTime",
            "withdrawn UInt8")); // added by us: an alert a late event took back
    CONTRACT.put(
        "rejected_events",
        List.of(
            "received_at DateTime",
            "source String",
            "partition Int32",
            "offset Int64",
            "event_id String",
            "reason String",
            "detail String",
            "raw String"));
  }

  private static List<String> kpi(String... metrics) {
    List<String> columns = new ArrayList<>(KEY_COLUMNS);
    columns.addAll(List.of(metrics));
    columns.addAll(VERSION_COLUMNS);
    return columns;
  }

  private static final String KPI_SERVICE_INSERT =
      "INSERT INTO %s (period, period_start, period_end, scope, scope_key, accepted, completed,"
          + " rejected, completed_on_time, completed_online, completed_zero_visit,"
          + " processing_hours_sum, processing_hours_max, promised_days_sum, statutory_days_sum,"
          + " satisfaction_responses, satisfaction_positive, events, is_final, version, updated_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String REJECTED_INSERT =
      "INSERT INTO %s (received_at, source, partition, offset, event_id, reason, detail, raw)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

  /** Chinese text, both quotes, a backslash, newline, tab, CR and a JDBC placeholder. */
  private static final String NASTY = "兴安盟 乌兰浩特 'single' \"double\" back\\slash\nline\ttab\r?";

  @Test
  void everyTableHasTheContractColumnsEngineAndOrder() {
    ClickHouseHttp http = CLICKHOUSE.http();
    for (Map.Entry<String, List<String>> table : CONTRACT.entrySet()) {
      assertThat(columns(http, table.getKey())).as(table.getKey()).isEqualTo(table.getValue());
    }
    Map<String, String> engines = new LinkedHashMap<>();
    Map<String, String> sortingKeys = new LinkedHashMap<>();
    for (Map<String, Object> row :
        http.queryJson(
            "SELECT name, engine, sorting_key FROM system.tables"
                + " WHERE database = currentDatabase() ORDER BY name")) {
      engines.put((String) row.get("name"), (String) row.get("engine"));
      sortingKeys.put((String) row.get("name"), (String) row.get("sorting_key"));
    }
    assertThat(engines)
        .containsEntry("kpi_project", "ReplacingMergeTree")
        .containsEntry("kpi_service", "ReplacingMergeTree")
        .containsEntry("kpi_market", "ReplacingMergeTree")
        .containsEntry("project_alerts", "ReplacingMergeTree")
        .containsEntry("rejected_events", "ReplacingMergeTree")
        .containsEntry("kpi_project_final", "View")
        .containsEntry("kpi_service_final", "View")
        .containsEntry("kpi_market_final", "View")
        .containsEntry("project_alerts_current", "View")
        .containsEntry("project_alerts_open", "View")
        .containsEntry("rejected_events_final", "View");
    // The planners' views (910-940); PlannerSqlITCase checks their columns against sql/README.md.
    for (String view :
        List.of(
            "service_rates",
            "market_rates",
            "project_rates",
            "current_periods",
            "service_current",
            "market_current",
            "project_current",
            "lagging_projects",
            "lagging_by_area",
            "project_yoy",
            "service_yoy",
            "project_yoy_latest",
            "service_yoy_latest")) {
      assertThat(engines).containsEntry(view, "View");
    }
    assertThat(engines).hasSize(24);
    for (String kpi : List.of("kpi_project", "kpi_service", "kpi_market")) {
      assertThat(sortingKeys.get(kpi)).isEqualTo("period, scope, scope_key, period_start");
      assertThat(columns(http, kpi + "_final")).isEqualTo(CONTRACT.get(kpi));
    }
    assertThat(sortingKeys.get("project_alerts")).isEqualTo("alert_id");
    assertThat(columns(http, "project_alerts_current")).isEqualTo(CONTRACT.get("project_alerts"));
    assertThat(sortingKeys.get("rejected_events")).isEqualTo("source, partition, offset");
    assertThat(columns(http, "rejected_events_final")).isEqualTo(CONTRACT.get("rejected_events"));
  }

  /**
   * The layout before rejected records were keyed by their origin: rejected_events an append-only
   * MergeTree by received_at, partitioned by month; project_alerts without withdrawn; the alert
   * views as they were. Written out here as it was shipped, not taken from sql/.
   */
  private static final List<String> OLD_LAYOUT =
      List.of(
          "CREATE TABLE rejected_events (received_at DateTime, source String, partition Int32,"
              + " offset Int64, event_id String, reason String, detail String, raw String)"
              + " ENGINE = MergeTree PARTITION BY toYYYYMM(received_at)"
              + " ORDER BY (received_at, source, partition, offset)",
          "CREATE TABLE project_alerts (alert_id String, project_id String, project_name String,"
              + " county String, chain String, rule String, severity String, status String,"
              + " opened_at DateTime, resolved_at DateTime, detail String, version UInt64,"
              + " updated_at DateTime) ENGINE = ReplacingMergeTree(version) ORDER BY alert_id",
          "CREATE VIEW project_alerts_current AS SELECT * FROM project_alerts FINAL",
          "CREATE VIEW project_alerts_open AS SELECT * FROM project_alerts FINAL"
              + " WHERE status = 'open'");

  /**
   * init-db on a database of the old layout holding rows: rejected_events becomes the
   * ReplacingMergeTree on (source, partition, offset) with every row (the old table stays as
   * rejected_events_replaced_1), read FINAL each record once; a replay after the upgrade adds no
   * record; project_alerts gains withdrawn; installing again changes nothing.
   */
  @Test
  void initDbUpgradesAnOldLayoutKeepingEveryRow() {
    ClickHouseEndpoint main = CLICKHOUSE.endpoint();
    ClickHouseHttp http =
        new ClickHouseHttp(
            new ClickHouseEndpoint(
                main.url(), main.user(), main.password(), main.database() + "_old_layout"));
    try {
      http.createDatabaseIfMissing();
      OLD_LAYOUT.forEach(http::execute);
      // Three records, each rejected twice (a restart read them again a day later, in the next
      // month's partition for one of them), and a backfill's file line once.
      http.execute(
          "INSERT INTO rejected_events VALUES"
              + " (1782835200, 'project-progress', 0, 41, 'e-41', 'late', 'd', '{}'),"
              + " (1782921600, 'project-progress', 0, 41, 'e-41', 'late', 'd', '{}'),"
              + " (1782835200, 'project-progress', 1, 7, '', 'malformed_json', 'd', 'x'),"
              + " (1782921600, 'project-progress', 1, 7, '', 'malformed_json', 'd', 'x'),"
              + " (1785427200, 'market-stall-counts', 0, 3, 'm-3', 'future', 'd', '{}'),"
              + " (1785513600, 'market-stall-counts', 0, 3, 'm-3', 'future', 'd', '{}'),"
              + " (1782835200, 'input/2025.jsonl', 0, 12, 'x-12', 'unknown_project', 'd', '{}')");
      http.execute(
          "INSERT INTO project_alerts VALUES ('P1:no_report:2026-06-01', 'P1', 'p', 'arxan',"
              + " 'dairy', 'no_report', 'warning', 'open', 1780243200, 0, 'silent', 1,"
              + " 1780243200)");

      SchemaInstaller.install(http);

      assertThat(engine(http, "rejected_events")).isEqualTo("ReplacingMergeTree");
      assertThat(count(http, "rejected_events")).as("every row copied").isEqualTo(7);
      assertThat(count(http, "rejected_events FINAL")).as("each record once").isEqualTo(4);
      assertThat(count(http, "rejected_events_final")).isEqualTo(4);
      assertThat(
              http.query(
                  "SELECT toUnixTimestamp(received_at) FROM rejected_events_final"
                      + " WHERE source = 'market-stall-counts' FORMAT TSV"))
          .as("as of its latest rejection")
          .isEqualTo("1785513600\n");
      assertThat(engine(http, "rejected_events_replaced_1")).isEqualTo("MergeTree");
      assertThat(count(http, "rejected_events_replaced_1")).as("the old table kept").isEqualTo(7);
      assertThat(columns(http, "rejected_events")).isEqualTo(CONTRACT.get("rejected_events"));
      assertThat(columns(http, "project_alerts")).isEqualTo(CONTRACT.get("project_alerts"));
      assertThat(http.query("SELECT alert_id, withdrawn FROM project_alerts_open FORMAT TSV"))
          .isEqualTo("P1:no_report:2026-06-01\t0\n");

      String tables =
          "SELECT name, engine FROM system.tables WHERE database = currentDatabase()"
              + " ORDER BY name FORMAT TSV";
      String before = http.query(tables);
      SchemaInstaller.install(http);
      assertThat(http.query(tables)).as("installing again changes nothing").isEqualTo(before);

      // A replay after the upgrade writes the same keys again.
      http.execute(
          "INSERT INTO rejected_events VALUES"
              + " (1790000000, 'project-progress', 0, 41, 'e-41', 'late', 'd', '{}'),"
              + " (1790000000, 'input/2025.jsonl', 0, 12, 'x-12', 'unknown_project', 'd', '{}')");
      assertThat(count(http, "rejected_events FINAL")).isEqualTo(4);
    } finally {
      http.dropDatabaseIfExists();
    }
  }

  /** A rebuild stopped between the two tables of its RENAME is finished by the next install. */
  @Test
  void aRebuildStoppedHalfWayIsFinishedByTheNextInstall() {
    ClickHouseEndpoint main = CLICKHOUSE.endpoint();
    ClickHouseHttp http =
        new ClickHouseHttp(
            new ClickHouseEndpoint(
                main.url(), main.user(), main.password(), main.database() + "_half_way"));
    try {
      SchemaInstaller.install(http);
      http.execute(
          "INSERT INTO rejected_events VALUES"
              + " (1782835200, 'project-progress', 0, 41, 'e-41', 'late', 'd', '{}')");
      http.execute("RENAME TABLE rejected_events TO rejected_events_rebuild");

      SchemaInstaller.install(http);

      assertThat(count(http, "rejected_events FINAL")).isEqualTo(1);
      assertThat(http.query("EXISTS TABLE rejected_events_rebuild").strip()).isEqualTo("0");
    } finally {
      http.dropDatabaseIfExists();
    }
  }

  private static String engine(ClickHouseHttp http, String table) {
    return http.query(
            "SELECT engine FROM system.tables WHERE database = currentDatabase() AND name = '"
                + table
                + "' FORMAT TSV")
        .strip();
  }

  private static long count(ClickHouseHttp http, String from) {
    return Long.parseLong(http.query("SELECT count() FROM " + from).strip());
  }

  @Test
  void installingAgainChangesNothing() {
    ClickHouseHttp http = CLICKHOUSE.http();
    String everything =
        "SELECT table, name, type FROM system.columns WHERE database = currentDatabase()"
            + " ORDER BY table, name FORMAT TSV";
    String before = http.query(everything);

    SchemaInstaller.install(CLICKHOUSE.endpoint());
    SchemaInstaller.install(http);

    assertThat(http.query(everything)).isEqualTo(before);
  }

  @Test
  void addColumnIfNotExistsRunsOnceAndViewsFollowTheirTable() {
    ClickHouseEndpoint main = CLICKHOUSE.endpoint();
    ClickHouseHttp http =
        new ClickHouseHttp(
            new ClickHouseEndpoint(
                main.url(), main.user(), main.password(), main.database() + "_upgrade"));
    try {
      SchemaInstaller.install(http);
      String alter = "ALTER TABLE kpi_market ADD COLUMN IF NOT EXISTS stalls_vacant_sum UInt64";
      SchemaInstaller.apply(http, alter);
      SchemaInstaller.apply(http, alter);
      assertThat(columns(http, "kpi_market")).endsWith("stalls_vacant_sum UInt64");
      assertThat(columns(http, "kpi_market_final")).doesNotContain("stalls_vacant_sum UInt64");

      SchemaInstaller.install(http);

      assertThat(columns(http, "kpi_market_final")).isEqualTo(columns(http, "kpi_market"));
    } finally {
      http.dropDatabaseIfExists();
    }
  }

  @Test
  void exampleQueriesRunAndTakeRatesFromSums() throws IOException {
    ClickHouseEndpoint main = CLICKHOUSE.endpoint();
    ClickHouseHttp http =
        new ClickHouseHttp(
            new ClickHouseEndpoint(
                main.url(), main.user(), main.password(), main.database() + "_queries"));
    try {
      SchemaInstaller.install(http);
      LocalDate month = LocalDate.now(ZoneId.of("Asia/Shanghai")).withDayOfMonth(1);
      http.execute(
          ("INSERT INTO kpi_service (period, period_start, period_end, scope, scope_key,"
                  + " completed, completed_on_time, completed_zero_visit, events, is_final,"
                  + " version, updated_at) VALUES"
                  + " ('month', '%1$s', '%2$s', 'department', 'natural-resources', 8, 6, 2, 10, 0,"
                  + " 20, 0), ('month', '%1$s', '%2$s', 'department', 'finance', 0, 0, 0, 1, 0, 2,"
                  + " 0)")
              .formatted(month, month.withDayOfMonth(month.lengthOfMonth())));
      List<Path> queries;
      try (Stream<Path> files = Files.list(Path.of("..", "sql", "queries"))) {
        queries = files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
      }
      assertThat(queries).hasSizeGreaterThanOrEqualTo(3);
      for (Path query : queries) {
        List<Map<String, Object>> rows = http.queryJson(Files.readString(query));
        if (query.getFileName().toString().startsWith("on_time_rate_by_department")) {
          assertThat(rows).hasSize(2);
          // 6 of 8 on time, 2 of 8 without a visit; no completions gives no rate, not 0.
          assertThat(rows.get(0)).containsEntry("department", "natural-resources");
          assertThat(((BigDecimal) rows.get(0).get("on_time_rate")).doubleValue()).isEqualTo(0.75);
          assertThat(((BigDecimal) rows.get(0).get("zero_visit_rate")).doubleValue())
              .isEqualTo(0.25);
          assertThat(rows.get(1))
              .containsEntry("department", "finance")
              .containsEntry("on_time_rate", null);
        }
      }
    } finally {
      http.dropDatabaseIfExists();
    }
  }

  @Test
  void finalKeepsTheRowWithTheHighestVersion() throws SQLException {
    ClickHouseEndpoint ep = CLICKHOUSE.endpoint();
    LocalDate june = LocalDate.of(2026, 6, 1);
    // Three separate inserts, so three parts that no merge has combined yet.
    // version = events * 2 + is_final: 10 final events (21) beat 10 rolling (20) and 9 final (19).
    insertService(ep, "department", "natural-resources", june, 10, false, 1000L);
    insertService(ep, "department", "natural-resources", june, 10, true, 1001L);
    insertService(ep, "department", "natural-resources", june, 9, true, 999L);
    insertService(ep, "county", "arxan", june, 4, false, 1000L);

    String select =
        "SELECT scope_key, accepted, events, is_final, version, toUnixTimestamp(updated_at) AS t"
            + " FROM %s WHERE period = 'month' ORDER BY scope_key";
    for (String source : List.of("kpi_service FINAL", "kpi_service_final")) {
      List<Map<String, Object>> rows = CLICKHOUSE.http().queryJson(select.formatted(source));
      assertThat(rows).as(source).hasSize(2);
      assertThat(rows.get(0))
          .as(source)
          .containsEntry("scope_key", "arxan")
          .containsEntry("version", 8)
          .containsEntry("is_final", 0);
      assertThat(rows.get(1))
          .as(source)
          .containsEntry("scope_key", "natural-resources")
          .containsEntry("accepted", 10)
          .containsEntry("events", 10)
          .containsEntry("is_final", 1)
          .containsEntry("version", 21)
          .containsEntry("t", 1001);
    }
  }

  @Test
  void jdbcBatchRoundTripsEveryTypeWhateverTheZones() throws SQLException {
    ClickHouseServer server = ClickHouseServer.builder().timezone("Asia/Shanghai").launch();
    TimeZone jvmZone = TimeZone.getDefault();
    try {
      ClickHouseEndpoint ep = server.endpoint("kpi_zones");
      SchemaInstaller.install(ep);
      ClickHouseHttp http = new ClickHouseHttp(ep);
      assertThat(http.query("SELECT timezone()").strip()).isEqualTo("Asia/Shanghai");
      // Neither UTC nor the server's zone, so a binding that goes through wall-clock text
      // in either zone would store a different instant.
      TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));

      // 2026-06-30T16:00:00Z is 2026-07-01 00:00 in Shanghai and 2026-06-30 12:00 in New York.
      long instant = Instant.parse("2026-06-30T16:00:00Z").getEpochSecond();
      assertThat(instant).isEqualTo(1_782_835_200L);
      try (Connection connection =
              DriverManager.getConnection(ep.jdbcUrl(), ep.user(), ep.password());
          PreparedStatement service =
              connection.prepareStatement(KPI_SERVICE_INSERT.formatted(ep.table("kpi_service")));
          PreparedStatement rejected =
              connection.prepareStatement(REJECTED_INSERT.formatted(ep.table("rejected_events")))) {
        bindService(service, "service", NASTY, LocalDate.of(2026, 7, 1), 3, true, instant);
        service.setObject(6, new BigInteger("18446744073709551615")); // UInt64 max
        service.setDouble(12, 0.1);
        service.setDouble(13, 1.0e-300);
        service.addBatch();
        bindService(service, "league", "", LocalDate.of(2026, 7, 1), 2, false, 0L);
        service.addBatch();
        service.executeBatch();

        rejected.setLong(1, instant);
        rejected.setString(2, "service-transactions");
        rejected.setInt(3, -1);
        rejected.setLong(4, Long.MAX_VALUE);
        rejected.setString(5, "");
        rejected.setString(6, "malformed_json");
        rejected.setString(7, NASTY);
        rejected.setString(8, "{\"event_id\": \"a\\\"b\", \"county\": \"阿尔山市\"}\n");
        rejected.addBatch();
        rejected.executeBatch();
      } finally {
        TimeZone.setDefault(jvmZone);
      }

      List<Map<String, Object>> rows =
          http.queryJson(
              "SELECT scope, scope_key, period_start, period_end, accepted, completed,"
                  + " processing_hours_sum, processing_hours_max, is_final, version,"
                  + " toUnixTimestamp(updated_at) AS updated, toString(updated_at) AS shanghai,"
                  + " toString(updated_at, 'UTC') AS utc"
                  + " FROM kpi_service ORDER BY scope");
      assertThat(rows).hasSize(2);
      assertThat(rows.get(0))
          .containsEntry("scope", "league")
          .containsEntry("scope_key", "")
          .containsEntry("updated", 0)
          .containsEntry("version", 4)
          .containsEntry("is_final", 0);
      Map<String, Object> row = rows.get(1);
      assertThat(row)
          .containsEntry("scope", "service")
          .containsEntry("scope_key", NASTY)
          .containsEntry("period_start", "2026-07-01")
          .containsEntry("period_end", "2026-07-31")
          .containsEntry("accepted", new BigInteger("18446744073709551615"))
          .containsEntry("completed", 3)
          .containsEntry("is_final", 1)
          .containsEntry("version", 7)
          .containsEntry("updated", 1_782_835_200)
          .containsEntry("shanghai", "2026-07-01 00:00:00")
          .containsEntry("utc", "2026-06-30 16:00:00");
      assertThat(((BigDecimal) row.get("processing_hours_sum")).doubleValue()).isEqualTo(0.1);
      assertThat(((BigDecimal) row.get("processing_hours_max")).doubleValue()).isEqualTo(1.0e-300);

      Map<String, Object> reject =
          http.queryJson(
                  "SELECT toUnixTimestamp(received_at) AS at, source, partition, offset,"
                      + " event_id, reason, detail, raw FROM rejected_events")
              .get(0);
      assertThat(reject)
          .containsEntry("at", 1_782_835_200)
          .containsEntry("source", "service-transactions")
          .containsEntry("partition", -1)
          .containsEntry("offset", Long.MAX_VALUE)
          .containsEntry("event_id", "")
          .containsEntry("reason", "malformed_json")
          .containsEntry("detail", NASTY)
          .containsEntry("raw", "{\"event_id\": \"a\\\"b\", \"county\": \"阿尔山市\"}\n");

      assertDecimalRoundTrip(ep, http);
    } finally {
      server.close();
    }
  }

  /** Decimal(18,2) takes BigDecimal with scale ≤ 2; on 18.16 a longer scale is an error. */
  private static void assertDecimalRoundTrip(ClickHouseEndpoint ep, ClickHouseHttp http)
      throws SQLException {
    String insert =
        "INSERT INTO "
            + ep.table("kpi_project")
            + " (period, period_start, period_end, scope, scope_key, planned_year_cny,"
            + " investment_cny, investment_ytd_cny, progress_pct_avg, events, is_final, version,"
            + " updated_at, projects) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (Connection connection =
            DriverManager.getConnection(ep.jdbcUrl(), ep.user(), ep.password());
        PreparedStatement statement = connection.prepareStatement(insert)) {
      statement.setString(1, "year");
      statement.setObject(2, LocalDate.of(2026, 1, 1));
      statement.setString(3, "2026-12-31");
      statement.setString(4, "league");
      statement.setString(5, "");
      statement.setBigDecimal(6, new BigDecimal("27200000000.00")); // 272亿元
      // A computed value with a longer scale must be rounded to 2 places before binding.
      statement.setBigDecimal(7, new BigDecimal("-1234.499").setScale(2, RoundingMode.HALF_UP));
      statement.setBigDecimal(8, new BigDecimal("9999999999999999.99"));
      statement.setDouble(9, 62.5);
      statement.setLong(10, 1);
      statement.setInt(11, 0);
      statement.setLong(12, 2);
      statement.setLong(13, 1_782_835_200L);
      statement.setInt(14, 197);
      statement.addBatch();
      statement.executeBatch();
    }
    Map<String, Object> row =
        http.queryJson(
                "SELECT period_end, projects, planned_year_cny, investment_cny,"
                    + " investment_ytd_cny, toString(investment_cny) AS text, progress_pct_avg"
                    + " FROM kpi_project")
            .get(0);
    assertThat(row).containsEntry("period_end", "2026-12-31").containsEntry("projects", 197);
    assertThat((BigDecimal) row.get("planned_year_cny"))
        .isEqualByComparingTo(new BigDecimal("27200000000"));
    assertThat((BigDecimal) row.get("investment_cny")).isEqualByComparingTo("-1234.50");
    assertThat((BigDecimal) row.get("investment_ytd_cny"))
        .isEqualByComparingTo("9999999999999999.99");
    assertThat(row.get("text")).isEqualTo("-1234.50");
    assertThat(((BigDecimal) row.get("progress_pct_avg")).doubleValue()).isEqualTo(62.5);
  }

  @Test
  void aRestartedServerKeepsItsPortAndData() {
    try (ClickHouseServer server = ClickHouseServer.launch()) {
      ClickHouseHttp http = new ClickHouseHttp(server.endpoint("kpi_restart"));
      SchemaInstaller.install(http);
      http.execute(
          "INSERT INTO rejected_events (received_at, source, partition, offset, event_id, reason,"
              + " detail, raw) VALUES (1782835200, 'file.jsonl', 0, 41, 'e-1', 'late', '', '{}')");
      String url = server.url();

      server.stop();
      assertThat(server.isRunning()).isFalse();
      assertThat(http.ping()).isFalse();
      assertThatThrownBy(() -> http.query("SELECT 1"))
          .isInstanceOf(ClickHouseHttp.ClickHouseHttpException.class)
          .hasMessageContaining(url)
          .hasMessageContaining("SELECT 1")
          .matches(e -> ((ClickHouseHttp.ClickHouseHttpException) e).isConnectionFailure());

      server.start();

      assertThat(server.url()).isEqualTo(url);
      assertThat(http.ping()).isTrue();
      assertThat(http.query("SELECT event_id, offset FROM rejected_events FORMAT TSV"))
          .isEqualTo("e-1\t41\n");
    }
  }

  @Test
  void serverErrorsNameTheStatementAndTheServersText() {
    assertThatThrownBy(
            () -> CLICKHOUSE.http().query("-- a comment\nSELECT no_such_column\nFROM kpi_service"))
        .isInstanceOf(ClickHouseHttp.ClickHouseHttpException.class)
        .hasMessageContaining("no_such_column")
        .hasMessageContaining("in statement: SELECT no_such_column")
        .matches(e -> ((ClickHouseHttp.ClickHouseHttpException) e).errorCode() == 47);
    assertThat(CLICKHOUSE.http().serverVersion()).matches("\\d+\\.\\d+.*");
    assertThat(CLICKHOUSE.http().ping()).isTrue();
  }

  private static void insertService(
      ClickHouseEndpoint ep,
      String scope,
      String key,
      LocalDate month,
      long events,
      boolean isFinal,
      long updatedAt)
      throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(ep.jdbcUrl(), ep.user(), ep.password());
        PreparedStatement statement =
            connection.prepareStatement(KPI_SERVICE_INSERT.formatted(ep.table("kpi_service")))) {
      bindService(statement, scope, key, month, events, isFinal, updatedAt);
      statement.addBatch();
      statement.executeBatch();
    }
  }

  /** Binds one kpi_service row for a month: accepted = completed = events, the rest zero. */
  private static void bindService(
      PreparedStatement statement,
      String scope,
      String key,
      LocalDate month,
      long events,
      boolean isFinal,
      long updatedAtEpochSeconds)
      throws SQLException {
    statement.setString(1, "month");
    statement.setObject(2, month);
    statement.setObject(3, month.withDayOfMonth(month.lengthOfMonth()));
    statement.setString(4, scope);
    statement.setString(5, key);
    for (int column = 6; column <= 17; column++) {
      statement.setLong(column, 0);
    }
    statement.setLong(6, events);
    statement.setLong(7, events);
    statement.setDouble(12, 0.0);
    statement.setDouble(13, 0.0);
    statement.setLong(18, events);
    statement.setInt(19, isFinal ? 1 : 0);
    statement.setLong(20, events * 2 + (isFinal ? 1 : 0));
    statement.setLong(21, updatedAtEpochSeconds);
  }

  private static List<String> columns(ClickHouseHttp http, String table) {
    List<String> columns = new ArrayList<>();
    for (Map<String, Object> row :
        http.queryJson(
            "SELECT name, type FROM system.columns WHERE database = currentDatabase()"
                + " AND table = '"
                + table
                + "'")) {
      columns.add(row.get("name") + " " + row.get("type"));
    }
    return columns;
  }
}
