package cn.xingan.kpi.cli;

import cn.xingan.kpi.config.ClickHouseEndpoint;
import cn.xingan.kpi.config.CommandOptions;
import cn.xingan.kpi.config.OptionValues;
import cn.xingan.kpi.sink.ClusterSchemaInstaller;
import cn.xingan.kpi.sink.SchemaInstaller;

/** {@code bin/kpi init-db}: creates or upgrades the schema; safe to run again. */
final class InitDb {
  static final String HELP =
      """
      Usage: bin/kpi init-db [options]

      Creates the database and every table and view of sql/ in ClickHouse, or adds what an older
      schema lacks. Running it again changes nothing. Run it as an admin user: the pipeline's own
      user (kpi_writer) may insert but not create tables.

      With --cluster NAME, creates the sharded layout on every server of that cluster (as the
      server's system.clusters lists it; every server is reached over HTTP on the port of
      --clickhouse-url): <table>_local on each shard, then Distributed tables under the tables'
      own names, sharded so that every version of a row lands on one shard (see sql/README.md).
      """;

  private InitDb() {}

  static int run(OptionValues values) {
    CommandOptions.InitDb o = CommandOptions.InitDb.from(values);
    if (o.cluster() == null) {
      SchemaInstaller.install(o.clickhouse());
      System.out.println(
          "Schema ready in database '"
              + o.clickhouse().database()
              + "' at "
              + o.clickhouse().url());
      return 0;
    }
    ClusterSchemaInstaller installer =
        new ClusterSchemaInstaller(
            o.clickhouse(),
            o.cluster(),
            ClusterSchemaInstaller.NodeUrls.samePortAs(o.clickhouse().url()),
            o.replicated());
    installer.install();
    System.out.println(
        "Sharded schema ready in database '"
            + o.clickhouse().database()
            + "' on cluster "
            + o.cluster()
            + ": "
            + installer.shardServers().stream().map(ClickHouseEndpoint::url).toList());
    return 0;
  }
}
