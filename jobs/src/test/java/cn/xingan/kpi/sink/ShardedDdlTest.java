package cn.xingan.kpi.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sharded layout's DDL as text; ShardedBackfillITCase runs it on two real 18.16 servers, and
 * the Replicated forms up to where ZooKeeper would be needed.
 */
class ShardedDdlTest {
  private static final String SERVICE =
      """
      CREATE TABLE IF NOT EXISTS kpi_service
      (
          period       String,
          planned      Decimal(18, 2),
          version      UInt64
      )
      ENGINE = ReplacingMergeTree(version)
      PARTITION BY toYear(period_start)
      ORDER BY (period, scope, scope_key, period_start)""";

  @Test
  void everyTableOfTheScriptsHasAShardTableAndADistributedTable() {
    List<String> tables =
        SchemaScripts.statements().stream().filter(ShardedDdl::createsTable).toList();

    assertThat(tables).hasSizeGreaterThanOrEqualTo(5);
    for (String statement : tables) {
      ShardedDdl.Table table = ShardedDdl.parse(statement);
      assertThat(ShardedDdl.localTable(table, false, "kpi"))
          .startsWith("CREATE TABLE IF NOT EXISTS " + table.name() + "_local\n(")
          .endsWith(table.engine());
      assertThat(ShardedDdl.distributedTable(table, "c", "kpi"))
          .contains("ENGINE = Distributed(c, kpi, " + table.name() + "_local, cityHash64(");
    }
  }

  @Test
  void theColumnsAreTakenWholeWithTheirParenthesesAndTheEngineAfterThem() {
    ShardedDdl.Table t = ShardedDdl.parse(SERVICE);

    assertThat(t.name()).isEqualTo("kpi_service");
    assertThat(t.columns()).startsWith("period").endsWith("version      UInt64");
    assertThat(t.columns()).contains("Decimal(18, 2)");
    assertThat(t.engine())
        .startsWith("ENGINE = ReplacingMergeTree(version)")
        .endsWith("period_start)");
  }

  @Test
  void theKpiTablesAreShardedByTheirKeyWithoutThePeriodStart() {
    String ddl = ShardedDdl.distributedTable(ShardedDdl.parse(SERVICE), "kpi_cluster", "kpi");

    assertThat(ddl)
        .endsWith(
            "ENGINE = Distributed(kpi_cluster, kpi, kpi_service_local,"
                + " cityHash64(period, scope, scope_key))")
        .doesNotContain("ReplacingMergeTree");
  }

  @Test
  void replicatedShardTablesUseTheShardAndReplicaMacrosAndKeepTheEngineArguments() {
    String local = ShardedDdl.localTable(ShardedDdl.parse(SERVICE), true, "kpi");
    String log =
        ShardedDdl.localTable(
            ShardedDdl.parse(
                "CREATE TABLE IF NOT EXISTS rejected_events (x UInt8) ENGINE = MergeTree ORDER BY x"),
            true,
            "kpi");

    assertThat(local)
        .contains(
            "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/kpi/kpi_service_local',"
                + " '{replica}', version)\nPARTITION BY");
    assertThat(log)
        .endsWith(
            "ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/kpi/rejected_events_local',"
                + " '{replica}') ORDER BY x");
  }

  @Test
  void anAlterGoesToTheShardTableToo() {
    assertThat(
            ShardedDdl.forLocalTable("ALTER TABLE kpi_service ADD COLUMN IF NOT EXISTS x UInt64"))
        .isEqualTo("ALTER TABLE kpi_service_local ADD COLUMN IF NOT EXISTS x UInt64");
  }

  @Test
  void aTableWithoutAShardingKeyIsRefusedByName() {
    ShardedDdl.Table t =
        ShardedDdl.parse(
            "CREATE TABLE IF NOT EXISTS kpi_new (x UInt8) ENGINE = MergeTree ORDER BY x");

    assertThatThrownBy(() -> ShardedDdl.distributedTable(t, "c", "kpi"))
        .hasMessageContaining("kpi_new")
        .hasMessageContaining("SHARDING_KEYS");
  }

  @Test
  void everyServerIsTakenToServeHttpOnTheEntrysPort() {
    ClusterSchemaInstaller.NodeUrls urls =
        ClusterSchemaInstaller.NodeUrls.samePortAs("http://ch-entry:8123");

    assertThat(urls.httpUrl("ch-shard-2", 9000)).isEqualTo("http://ch-shard-2:8123");
  }
}
