// The sharded layout on two real ClickHouse 18.16 servers as the two shards of one cluster
// (remote_servers in each one's config.d): `init-db --cluster` creates the shard tables on both and
// the Distributed tables and views over them; a backfill of all three streams through the
// Distributed tables, run twice as kpi_writer, gives FINAL rows equal to the scenarios' oracles and
// to a backfill on a single server, read through either server; every version of a row sits on one
// shard. 18.16 without ZooKeeper cannot test replication: the Replicated DDL is checked up to the
// point where the server asks for ZooKeeper.
package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import cn.xingan.kpi.app.FlinkSettings;
import cn.xingan.kpi.app.Pipelines;
import cn.xingan.kpi.config.ClickHouseEndpoint;
import cn.xingan.kpi.config.EngineOptions;
import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.local.ClickHouseServer;
import cn.xingan.kpi.local.KpiUsers.Role;
import cn.xingan.kpi.sink.ClickHouseHttp;
import cn.xingan.kpi.sink.ClusterSchemaInstaller;
import cn.xingan.kpi.sink.SchemaGate;
import cn.xingan.kpi.sink.SchemaInstaller;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
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
class ShardedBackfillITCase {
  private static final String CLUSTER = "kpi_two_shards";
  private static final String DB = "kpi_sharded";
  private static final String SINGLE_DB = "kpi_single";
  private static final List<String> TABLES =
      List.of("kpi_service", "kpi_market", "kpi_project", "project_alerts", "rejected_events");
  private static final int MALFORMED_LINES = 12;

  @RegisterExtension static final MiniClusterExtension FLINK = FaultHarness.miniCluster();

  private static ClickHouseServer shard1;
  private static ClickHouseServer shard2;
  private static final List<StreamScenario> SCENARIOS = FaultHarness.standardScenarios();

  @BeforeAll
  static void startTwoShards() throws Exception {
    int tcp1 = freePort();
    int tcp2 = freePort();
    CompletableFuture<ClickHouseServer> second =
        CompletableFuture.supplyAsync(() -> shard(tcp2, tcp1, tcp2, "02"));
    shard1 = shard(tcp1, tcp1, tcp2, "01");
    shard2 = second.join();
  }

  @AfterAll
  static void stopShards() {
    for (ClickHouseServer s : new ClickHouseServer[] {shard1, shard2}) {
      if (s != null) {
        s.close();
      }
    }
  }

  @Test
  @Order(1)
  void initDbWithAClusterPutsShardTablesOnBothServersAndDistributedTablesAndViewsOverThem() {
    installer().install();
    installer().install(); // again: nothing changes

    for (ClickHouseServer server : List.of(shard1, shard2)) {
      Map<String, String> engines = engines(server, DB);
      for (String table : TABLES) {
        assertThat(engines).as("on " + server.url()).containsEntry(table, "Distributed");
        assertThat(engines.get(table + "_local")).as("on " + server.url()).endsWith("MergeTree");
      }
      assertThat(engines)
          .containsEntry("kpi_service_final", "View")
          .containsEntry("project_alerts_open", "View");
    }
    assertThat(SchemaGate.missing(new ClickHouseHttp(writer()))).isEmpty();
    assertThat(
            new ClickHouseHttp(writer())
                .query("SELECT value FROM system.settings WHERE name = 'insert_distributed_sync'")
                .strip())
        .as("the writer's inserts wait for every shard (its profile)")
        .isEqualTo("1");
  }

  @Test
  @Order(2)
  void aBackfillThroughTheDistributedTablesEqualsTheOraclesAndASingleServer(@TempDir Path dir)
      throws Exception {
    Path input = writeBackfillInput(dir);
    ClickHouseEndpoint single = shard1.endpoint(SINGLE_DB);
    SchemaInstaller.install(single);

    long t0 = System.nanoTime();
    backfill(writer(), input); // INSERTs into the Distributed tables, as kpi_writer
    backfill(writer(), input); // the same versions again: FINAL must still find one per key
    long t1 = System.nanoTime();
    backfill(single, input);
    System.err.printf(
        "[ShardedBackfillITCase] two sharded backfills %d ms, one single-server %d ms%n",
        (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);

    for (ClickHouseServer entry : List.of(shard1, shard2)) {
      ClickHouseHttp sharded = new ClickHouseHttp(entry.endpoint(DB));
      for (StreamScenario s : SCENARIOS) {
        assertThat(ScenarioRows.problems(s, sharded))
            .as("%s FINAL through the Distributed table on %s", s.table(), entry.url())
            .isEmpty();
        assertThat(s.otherProblems(sharded, null)).as("beyond " + s.table()).isEmpty();
      }
      for (String table : TABLES) {
        assertThat(contents(sharded, table))
            .as("%s through %s vs the single server", table, entry.url())
            .isEqualTo(contents(new ClickHouseHttp(single), table, 2));
      }
    }
  }

  @Test
  @Order(3)
  void everyVersionOfARowSitsOnOneShardAndBothShardsHoldRows() {
    ClickHouseHttp one = new ClickHouseHttp(shard1.endpoint(DB));
    ClickHouseHttp two = new ClickHouseHttp(shard2.endpoint(DB));
    Map<String, String> keys =
        Map.of(
            "kpi_service", "period, scope, scope_key",
            "kpi_market", "period, scope, scope_key",
            "kpi_project", "period, scope, scope_key",
            "project_alerts", "alert_id",
            "rejected_events", "source, partition, `offset`");
    keys.forEach(
        (table, key) -> {
          Set<String> first = distinct(one, table + "_local", key);
          Set<String> second = distinct(two, table + "_local", key);
          assertThat(first).as("%s keys on shard 1", table).isNotEmpty();
          assertThat(second).as("%s keys on shard 2", table).isNotEmpty();
          Set<String> both = new HashSet<>(first);
          both.retainAll(second);
          assertThat(both).as("%s keys with rows on both shards", table).isEmpty();
        });
  }

  @Test
  @Order(4)
  void anUpgradeReachesShardAndDistributedTablesAndAnUnknownFormIsRefused() {
    installer().apply("ALTER TABLE kpi_market ADD COLUMN IF NOT EXISTS it_extra UInt64");
    installer().apply("ALTER TABLE kpi_market ADD COLUMN IF NOT EXISTS it_extra UInt64");

    for (ClickHouseServer server : List.of(shard1, shard2)) {
      ClickHouseHttp http = new ClickHouseHttp(server.endpoint(DB));
      for (String table : List.of("kpi_market", "kpi_market_local")) {
        assertThat(
                http.query(
                        "SELECT count() FROM system.columns WHERE database = '"
                            + DB
                            + "' AND table = '"
                            + table
                            + "' AND name = 'it_extra'")
                    .strip())
            .as("%s.it_extra on %s", table, server.url())
            .isEqualTo("1");
      }
    }
    assertThatThrownBy(() -> installer().apply("OPTIMIZE TABLE kpi_market FINAL"))
        .hasMessageContaining("does not know how to apply")
        .hasMessageContaining("OPTIMIZE TABLE kpi_market");
  }

  /** As far as 18.16 gets without ZooKeeper: the statements parse and the macros resolve. */
  @Test
  @Order(5)
  void theReplicatedShardTablesAreAcceptedUpToTheMissingZooKeeper() {
    ClickHouseEndpoint scratch = shard1.endpoint("kpi_replicated");
    new ClickHouseHttp(scratch).createDatabaseIfMissing();
    ClusterSchemaInstaller replicated =
        new ClusterSchemaInstaller(scratch, CLUSTER, ShardedBackfillITCase::url, true);

    Throwable e = catchThrowable(replicated::install);

    assertThat(e)
        .hasMessageContaining("Code: 225")
        .hasMessageContaining("Can't create replicated table without ZooKeeper")
        .hasMessageContaining("kpi_project_local");
  }

  @Test
  @Order(6)
  void aMissingTableInTheShardedLayoutSendsTheAdminToInitDbWithTheCluster() {
    ClickHouseHttp admin = new ClickHouseHttp(shard1.endpoint(DB));
    admin.execute("DROP TABLE kpi_market_final");

    assertThatThrownBy(() -> SchemaGate.ensure(shard1.endpoint(DB)))
        .hasMessageContaining("sharded layout")
        .hasMessageContaining("init-db --cluster");
    assertThat(engines(shard1, DB)).doesNotContainKey("kpi_market_final");
    installer().install();
    assertThat(SchemaGate.missing(admin)).isEmpty();
  }

  // ---- the cluster ----

  private static ClickHouseServer shard(int tcp, int tcp1, int tcp2, String shardMacro) {
    String remoteServers =
        """
        <yandex>
          <remote_servers>
            <%s>
              <shard><replica><host>127.0.0.1</host><port>%d</port></replica></shard>
              <shard><replica><host>127.0.0.1</host><port>%d</port></replica></shard>
            </%s>
          </remote_servers>
          <macros><shard>%s</shard><replica>r1</replica></macros>
        </yandex>
        """
            .formatted(CLUSTER, tcp1, tcp2, CLUSTER, shardMacro);
    return ClickHouseServer.builder()
        .tcpPort(tcp)
        .configFile("kpi-cluster.xml", remoteServers)
        .kpiUsers(DB)
        .launch();
  }

  /** system.clusters names native ports; both servers run here, on their own HTTP ports. */
  private static String url(String host, int tcpPort) {
    for (ClickHouseServer s : List.of(shard1, shard2)) {
      if (s.tcpPort() == tcpPort) {
        return s.url();
      }
    }
    throw new IllegalArgumentException("no test server has native port " + tcpPort);
  }

  private static ClusterSchemaInstaller installer() {
    return new ClusterSchemaInstaller(
        shard1.endpoint(DB), CLUSTER, ShardedBackfillITCase::url, false);
  }

  private static ClickHouseEndpoint writer() {
    return shard1.endpoint(DB, Role.WRITER);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  // ---- the backfills ----

  /**
   * Every scenario's events as JSON Lines (one file per stream) and a file of malformed lines,
   * whose rejections are spread over the shards by their line numbers.
   */
  private static Path writeBackfillInput(Path dir) throws IOException {
    for (StreamScenario s : SCENARIOS) {
      String topic = s.stream().topic();
      List<String> lines = new ArrayList<>();
      for (Map.Entry<String, String> record : s.records()) {
        lines.add("{\"stream\":\"" + topic + "\"," + record.getValue().substring(1));
      }
      Files.write(dir.resolve(topic + ".jsonl"), lines, StandardCharsets.UTF_8);
    }
    List<String> broken = new ArrayList<>();
    for (int i = 0; i < MALFORMED_LINES; i++) {
      broken.add("{\"stream\":\"service-transactions\",\"event_id\":\"broken-" + i + "\",");
    }
    Files.write(dir.resolve("broken.jsonl"), broken, StandardCharsets.UTF_8);
    return dir;
  }

  private static void backfill(ClickHouseEndpoint ch, Path input) throws Exception {
    KpiOptions options =
        KpiOptions.builder().clickhouse(ch).maxFuture(java.time.Duration.ofDays(3650)).build();
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            FlinkSettings.batch(
                EngineOptions.defaults().withParallelism(FaultHarness.PARALLELISM)));
    Pipelines.backfill(env, options, input, false);
    env.execute("sharded backfill");
  }

  // ---- reading ----

  private static Map<String, String> engines(ClickHouseServer server, String database) {
    Map<String, String> engines = new TreeMap<>();
    for (Map<String, Object> r :
        new ClickHouseHttp(server.endpoint(database))
            .queryJson(
                "SELECT name, engine FROM system.tables WHERE database = currentDatabase()")) {
      engines.put((String) r.get("name"), (String) r.get("engine"));
    }
    return engines;
  }

  private static Set<String> distinct(ClickHouseHttp http, String table, String key) {
    return http.queryJson("SELECT DISTINCT " + key + " FROM " + table).stream()
        .map(Object::toString)
        .collect(Collectors.toSet());
  }

  private static List<String> contents(ClickHouseHttp http, String table) {
    return contents(http, table, 1);
  }

  /**
   * The table's rows as text, sorted, without the columns a run sets by the clock ({@code
   * updated_at}, {@code received_at}); FINAL but for the append-only rejections, which are given
   * {@code copies} times.
   */
  private static List<String> contents(ClickHouseHttp http, String table, int copies) {
    List<String> columns = new ArrayList<>();
    for (Map<String, Object> r : http.queryJson("DESCRIBE TABLE " + table)) {
      String name = (String) r.get("name");
      if (!name.equals("updated_at") && !name.equals("received_at")) {
        columns.add("`" + name + "`");
      }
    }
    boolean log = table.equals("rejected_events");
    List<String> rows = new ArrayList<>();
    for (Map<String, Object> r :
        http.queryJson(
            "SELECT " + String.join(", ", columns) + " FROM " + table + (log ? "" : " FINAL"))) {
      String row = r.toString();
      for (int i = 0; i < (log ? copies : 1); i++) {
        rows.add(row);
      }
    }
    rows.sort(null);
    assertThat(rows).as("rows of " + table).isNotEmpty();
    return rows;
  }
}
