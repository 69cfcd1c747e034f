// The least-privileged users of sql/users.d/kpi-users.xml on a real ClickHouse (the installed
// 18.16):
// each may do its job and nothing more, a run as the writer works on an installed schema and stops
// with "run init-db as an admin" on a missing one, a wrong password is called a wrong password,
// the planner's limits stop runaway queries, and no password reaches our logs or the server's.
package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import cn.xingan.kpi.app.FlinkSettings;
import cn.xingan.kpi.app.Pipelines;
import cn.xingan.kpi.config.ClickHouseEndpoint;
import cn.xingan.kpi.config.Command;
import cn.xingan.kpi.config.EngineOptions;
import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.config.OptionSources;
import cn.xingan.kpi.job.KpiJob;
import cn.xingan.kpi.local.ClickHouseServer;
import cn.xingan.kpi.local.KpiUsers;
import cn.xingan.kpi.local.KpiUsers.Role;
import cn.xingan.kpi.sink.ClickHouseHttp;
import cn.xingan.kpi.sink.ClickHouseHttp.ClickHouseHttpException;
import cn.xingan.kpi.sink.ClickHouseSinks;
import cn.xingan.kpi.sink.SchemaGate;
import cn.xingan.kpi.sink.SchemaInstaller;
import cn.xingan.kpi.source.FileSources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KpiUsersITCase {
  private static final String DB = "kpi_users_it";
  private static final String OTHER_DB = "kpi_users_other";

  /**
   * Small planner limits, so the test need not wait 60 s for a timeout; an admin tunes the
   * committed limits the same way, with a later users.d file.
   */
  private static final String TEST_LIMITS =
      """
      <yandex><profiles><kpi_planner>
        <max_execution_time>2</max_execution_time>
        <max_memory_usage>100000000</max_memory_usage>
        <max_result_rows>1000</max_result_rows>
      </kpi_planner></profiles></yandex>
      """;

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(1)
              .build());

  private static ClickHouseServer server;
  private static ClickHouseHttp admin;
  private static LogCapture logs;
  private static final List<String> wrongPasswords = new ArrayList<>();

  @BeforeAll
  static void startServer() {
    logs = LogCapture.start();
    server =
        ClickHouseServer.builder()
            .kpiUsers(DB)
            .usersFile("zz-test-limits.xml", TEST_LIMITS)
            .logLevel("trace")
            .launch();
    admin = new ClickHouseHttp(server.endpoint(DB));
    SchemaInstaller.install(admin);
    ClickHouseHttp other = new ClickHouseHttp(server.endpoint(OTHER_DB));
    other.createDatabaseIfMissing();
    other.execute("CREATE TABLE IF NOT EXISTS t (x UInt64) ENGINE = MergeTree ORDER BY x");
    other.execute("INSERT INTO t VALUES (1)");
  }

  @AfterAll
  static void stopServer() {
    if (logs != null) {
      logs.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Order(1)
  void theReaderReadsTheKpiDatabaseAndNothingElse() {
    ClickHouseHttp reader = as(Role.READER);

    assertThat(reader.queryJson("SELECT count() AS n FROM kpi_service_final"))
        .containsExactly(Map.of("n", 0));
    assertRefused(() -> reader.execute(insertServiceRow("reader")), 164, "kpi_reader");
    assertRefused(() -> reader.execute("DROP TABLE kpi_service"), 164, "kpi_reader");
    assertRefused(() -> reader.query("SELECT count() FROM " + OTHER_DB + ".t"), 291, "kpi_reader");
    assertThat(admin.query("EXISTS TABLE kpi_service").strip()).isEqualTo("1");
  }

  @Test
  @Order(2)
  void theWriterInsertsButMayNotChangeTheSchemaNorTouchOtherDatabases() {
    ClickHouseHttp writer = as(Role.WRITER);

    writer.execute(insertServiceRow("writer"));
    assertThat(admin.query("SELECT count() FROM kpi_service WHERE scope_key = 'writer'").strip())
        .isEqualTo("1");
    assertRefused(() -> writer.execute("DROP TABLE kpi_service"), 392, "kpi_writer");
    assertRefused(() -> writer.execute("TRUNCATE TABLE kpi_service"), 392, "kpi_writer");
    assertRefused(
        () -> writer.execute("ALTER TABLE kpi_service DELETE WHERE 1 = 1"), 392, "kpi_writer");
    assertRefused(
        () -> writer.execute("CREATE TABLE kpi_x (x UInt8) ENGINE = Memory"), 392, "kpi_writer");
    assertRefused(() -> writer.createDatabaseIfMissing(), 392, "kpi_writer");
    assertRefused(
        () -> writer.execute("INSERT INTO " + OTHER_DB + ".t VALUES (2)"), 291, "kpi_writer");
    assertRefused(() -> writer.query("SELECT * FROM " + OTHER_DB + ".t"), 291, "kpi_writer");
    assertThat(admin.query("EXISTS TABLE kpi_service").strip()).isEqualTo("1");
    assertThat(admin.query("EXISTS TABLE kpi_x").strip()).isEqualTo("0");
  }

  /**
   * What 18.16 does not enforce (sql/README.md says so): it checks {@code allow_ddl} only against
   * {@code SET}, not against a setting sent with the query. Current releases refuse it (392).
   */
  @Test
  @Order(3)
  void on1816AnAllowDdlParameterStillLiftsTheWritersBan() throws Exception {
    String version = admin.serverVersion();
    var request =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(server.url() + "/?database=" + DB + "&allow_ddl=1"))
            .header("X-ClickHouse-User", Role.WRITER.user())
            .header("X-ClickHouse-Key", users().password(Role.WRITER))
            .POST(
                java.net.http.HttpRequest.BodyPublishers.ofString(
                    "CREATE TABLE kpi_bypass (x UInt8) ENGINE = Memory"))
            .build();
    int status =
        java.net.http.HttpClient.newHttpClient()
            .send(request, java.net.http.HttpResponse.BodyHandlers.ofString())
            .statusCode();
    boolean created = admin.query("EXISTS TABLE kpi_bypass").strip().equals("1");
    admin.execute("DROP TABLE IF EXISTS kpi_bypass");

    if (version.startsWith("18.")) {
      assertThat(created).as("18.16 lets allow_ddl=1 through as a query parameter").isTrue();
    } else {
      assertThat(created).as("ClickHouse " + version + " refuses to lift allow_ddl").isFalse();
      assertThat(status).isNotEqualTo(200);
    }
  }

  @Test
  @Order(4)
  void thePlannersLimitsStopRunawayQueriesWithTheLimitsError() {
    ClickHouseHttp planner = as(Role.PLANNER);

    assertThat(planner.queryJson("SELECT count() AS n FROM kpi_service FINAL"))
        .containsExactly(Map.of("n", 1));
    assertRefused(() -> planner.execute(insertServiceRow("planner")), 164, "kpi_planner");
    assertThat(
            catchThrowable(
                () ->
                    planner.query(
                        "SELECT count() FROM numbers(100000) AS a CROSS JOIN numbers(100000) AS b")))
        .as("a cross join of 10^10 rows")
        .hasMessageContaining("Code: 241")
        .hasMessageContaining("Memory limit (for query) exceeded");
    assertThat(
            catchThrowable(
                () -> planner.query("SELECT sum(cityHash64(number)) FROM numbers(100000000000)")))
        .as("a scan of 10^11 rows")
        .hasMessageContaining("Code: 159")
        .hasMessageContaining("Timeout exceeded");
    assertThat(catchThrowable(() -> planner.query("SELECT number FROM numbers(100000)")))
        .as("10^5 result rows")
        .hasMessageContaining("Code: 396")
        .hasMessageContaining("Limit for result exceeded");
  }

  @Test
  @Order(5)
  void aBackfillAsTheWriterWritesItsRows(@TempDir Path dir) throws Exception {
    List<ServiceTransactions.Event> events = ServiceTransactions.generate(7L).subList(0, 60);
    Path input = writeBackfillInput(dir, events);
    ClickHouseEndpoint writer = server.endpoint(DB, Role.WRITER);
    KpiOptions options = options(writer);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            FlinkSettings.batch(EngineOptions.defaults()));

    Pipelines.backfill(env, options, input, false);
    env.execute("backfill as " + options.clickhouse().user());

    long expected = ServiceKpiOracle.expected(events).size();
    assertThat(admin.query("SELECT count() FROM kpi_service_final WHERE scope_key != 'writer'"))
        .isEqualToIgnoringWhitespace(Long.toString(expected));
  }

  @Test
  @Order(6)
  void aMissingSchemaStopsTheWriterWithRunInitDbAsAdmin() {
    admin.execute("DROP TABLE kpi_market_final");
    admin.execute("DROP TABLE kpi_market");
    ClickHouseEndpoint writer = server.endpoint(DB, Role.WRITER);

    assertThatThrownBy(() -> SchemaGate.ensure(writer))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("table kpi_market")
        .hasMessageContaining("view kpi_market_final")
        .hasMessageContaining("'kpi_writer' may not create it")
        .hasMessageContaining("bin/kpi init-db")
        .hasMessageContaining("admin");

    SchemaGate.ensure(server.endpoint(DB));
    assertThat(SchemaGate.missing(admin)).isEmpty();
    SchemaGate.ensure(writer); // now nothing to do: no DDL, no error

    ClickHouseEndpoint fresh = server.endpoint("kpi_users_fresh");
    SchemaGate.ensure(fresh); // an admin on a database that does not exist yet: creates it all
    assertThat(SchemaGate.missing(new ClickHouseHttp(fresh))).isEmpty();
    new ClickHouseHttp(fresh).dropDatabaseIfExists();
  }

  @Test
  @Order(7)
  void aWrongPasswordSaysSoAndNamesTheUserButNotThePassword(@TempDir Path dir) throws Exception {
    String wrong = "wrong-" + UUID.randomUUID();
    wrongPasswords.add(wrong);
    ClickHouseEndpoint writer = server.endpoint(DB, Role.WRITER).as(Role.WRITER.user(), wrong);

    Throwable http = catchThrowable(() -> new ClickHouseHttp(writer).query("SELECT 1"));
    assertThat(http)
        .hasMessageContaining("refused user 'kpi_writer'")
        .hasMessageContaining("password is wrong")
        .hasMessageContaining("--clickhouse-password")
        .hasMessageNotContaining(wrong)
        .hasMessageNotContaining("init-db");

    // The sink's own path (JDBC), past the schema check: the job stops, naming the user.
    KpiOptions options = options(writer);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            FlinkSettings.batch(EngineOptions.defaults()));
    Path input = writeBackfillInput(dir, ServiceTransactions.generate(8L).subList(0, 5));
    new KpiJob(new FileSources(input, options), new ClickHouseSinks(options), options, true)
        .build(env);
    Throwable job = catchThrowable(() -> env.execute("wrong password"));
    assertThat(job)
        .hasStackTraceContaining("refused user 'kpi_writer'")
        .hasStackTraceContaining("password is wrong");
    assertThat(stackTrace(job)).doesNotContain(wrong).doesNotContain("init-db");
  }

  @Test
  @Order(8)
  void noPasswordReachesOurLogsOrTheServers() throws Exception {
    List<String> secrets = new ArrayList<>(wrongPasswords);
    for (Role role : Role.values()) {
      secrets.add(users().password(role));
    }
    assertThat(logs.events()).as("log events captured while the tests ran").isPositive();
    String ours = logs.text();
    StringBuilder theirs = new StringBuilder();
    for (String name :
        List.of("clickhouse-server.log", "clickhouse-server.err.log", "stdout.log")) {
      Path log = server.folder().resolve(name);
      if (Files.exists(log)) {
        theirs.append(Files.readString(log, StandardCharsets.UTF_8));
      }
    }
    assertThat(theirs).as("the server's trace log").contains("kpi_writer");
    for (String secret : secrets) {
      assertThat(ours).as("our log").doesNotContain(secret);
      assertThat(theirs.toString()).as("ClickHouse's logs").doesNotContain(secret);
    }
  }

  // ---- helpers ----

  private static KpiUsers users() {
    return server.kpiUsers().orElseThrow();
  }

  private static ClickHouseHttp as(Role role) {
    return new ClickHouseHttp(server.endpoint(DB, role));
  }

  private static void assertRefused(Runnable statement, int code, String user) {
    Throwable e = catchThrowable(statement::run);
    assertThat(e).isInstanceOf(ClickHouseHttpException.class);
    assertThat(((ClickHouseHttpException) e).errorCode()).as(e.getMessage()).isEqualTo(code);
    assertThat(e).hasMessageContaining("refused user '" + user + "'");
  }

  private static String insertServiceRow(String key) {
    return "INSERT INTO kpi_service (period, period_start, period_end, scope, scope_key, events,"
        + " is_final, version, updated_at) VALUES ('week', '2026-06-01', '2026-06-07', 'county', '"
        + key
        + "', 1, 0, 2, 0)";
  }

  private static Path writeBackfillInput(Path dir, List<ServiceTransactions.Event> events)
      throws Exception {
    Path file = dir.resolve("service.jsonl");
    List<String> lines = new ArrayList<>();
    for (ServiceTransactions.Event e : events) {
      lines.add(e.json(ServiceTransactions.TOPIC));
    }
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  /** Options for a backfill as the endpoint's user; the password travels as a program would. */
  private static KpiOptions options(ClickHouseEndpoint ch) {
    return KpiOptions.from(
        OptionSources.resolve(
            Command.BACKFILL,
            new String[] {
              "--clickhouse-url",
              ch.url(),
              "--clickhouse-user",
              ch.user(),
              "--clickhouse-password=" + ch.password(),
              "--database",
              ch.database(),
              "--max-future",
              "3650d"
            },
            Map.of()));
  }

  private static String stackTrace(Throwable t) {
    var out = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }
}
