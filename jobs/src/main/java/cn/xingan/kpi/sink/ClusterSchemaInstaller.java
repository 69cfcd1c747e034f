package cn.xingan.kpi.sink;

import cn.xingan.kpi.config.ClickHouseEndpoint;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code init-db --cluster NAME}: the schema in the sharded layout ({@link ShardedDdl}) on every
 * server of a cluster as the entry server's {@code system.clusters} lists it. ClickHouse 18.16
 * without ZooKeeper has no {@code ON CLUSTER}, so each server gets its statements over its own HTTP
 * interface: the shard tables on every server of the cluster, then the Distributed tables and the
 * views on those and on the entry server (which may be a server outside the cluster, e.g. one that
 * only routes queries). Like {@link SchemaInstaller}, running it again changes nothing, and an
 * upgrade of the scripts ({@code ALTER TABLE … ADD COLUMN IF NOT EXISTS}) reaches both the shard
 * tables and the Distributed tables.
 *
 * <p>{@code system.clusters} names each server's native TCP port, not its HTTP port; by default
 * every server is taken to serve HTTP on the entry URL's port ({@link NodeUrls#samePortAs}).
 */
public final class ClusterSchemaInstaller {

  /** Where a server of the cluster answers HTTP, from its host and native port. */
  @FunctionalInterface
  public interface NodeUrls {
    String httpUrl(String host, int tcpPort);

    /** Every server on the entry URL's scheme and port (a cluster of like servers). */
    static NodeUrls samePortAs(String entryUrl) {
      URI entry = URI.create(entryUrl);
      return (host, tcpPort) -> entry.getScheme() + "://" + host + ":" + entry.getPort();
    }
  }

  private final ClickHouseHttp entry;
  private final String cluster;
  private final boolean replicated;
  private final List<ClickHouseHttp> shardServers = new ArrayList<>();
  private final List<ClickHouseHttp> allServers = new ArrayList<>();

  /**
   * @param entry the server to ask for the cluster, with the admin user (used on every server)
   * @param replicated shard tables as {@code Replicated…MergeTree} (needs ZooKeeper and the macros
   *     {@code {shard}} and {@code {replica}} on every server)
   */
  public ClusterSchemaInstaller(
      ClickHouseEndpoint entry, String cluster, NodeUrls urls, boolean replicated) {
    if (cluster == null || !cluster.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException(
          "cluster '" + cluster + "' must be a remote_servers name ([A-Za-z0-9_.-]+)");
    }
    this.entry = new ClickHouseHttp(entry);
    this.cluster = cluster;
    this.replicated = replicated;
    Map<String, ClickHouseHttp> byUrl = new LinkedHashMap<>();
    for (Map<String, Object> row : servers()) {
      String url =
          urls.httpUrl((String) row.get("host_name"), ((Number) row.get("port")).intValue());
      byUrl.computeIfAbsent(
          url,
          u ->
              new ClickHouseHttp(
                  new ClickHouseEndpoint(u, entry.user(), entry.password(), entry.database())));
    }
    shardServers.addAll(byUrl.values());
    allServers.addAll(shardServers);
    if (!byUrl.containsKey(entry.url())) {
      allServers.add(this.entry);
    }
  }

  /** {@code init-db --cluster NAME} with the defaults: like servers, no replication. */
  public static void install(ClickHouseEndpoint entry, String cluster) {
    new ClusterSchemaInstaller(entry, cluster, NodeUrls.samePortAs(entry.url()), false).install();
  }

  /** The servers the shard tables go to, in {@code system.clusters} order. */
  public List<ClickHouseEndpoint> shardServers() {
    return shardServers.stream().map(ClickHouseHttp::endpoint).toList();
  }

  /** Creates the database where needed, then applies every statement of the scripts in order. */
  public void install() {
    for (ClickHouseHttp server : allServers) {
      server.createDatabaseIfMissing();
    }
    for (String statement : SchemaScripts.statements()) {
      apply(statement);
    }
  }

  /**
   * Applies one statement of the scripts' forms in the sharded layout: a table as shard tables and
   * Distributed tables, an ALTER on both, a view on every server. Any other form is refused rather
   * than guessed at.
   */
  public void apply(String statement) {
    String database = entry.endpoint().database();
    if (ShardedDdl.createsTable(statement)) {
      ShardedDdl.Table table = ShardedDdl.parse(statement);
      String local = ShardedDdl.localTable(table, replicated, database);
      String distributed = ShardedDdl.distributedTable(table, cluster, database);
      shardServers.forEach(s -> SchemaInstaller.apply(s, local));
      allServers.forEach(s -> SchemaInstaller.apply(s, distributed));
    } else if (ShardedDdl.altersTable(statement)) {
      String local = ShardedDdl.forLocalTable(statement);
      shardServers.forEach(s -> SchemaInstaller.apply(s, local));
      allServers.forEach(s -> SchemaInstaller.apply(s, statement));
    } else if (statement.matches("(?is)CREATE\\s+VIEW\\s.*")) {
      allServers.forEach(s -> SchemaInstaller.apply(s, statement));
    } else {
      throw new IllegalStateException(
          "the sharded layout does not know how to apply this statement of sql/ on every server;"
              + " teach ClusterSchemaInstaller its form: "
              + ClickHouseHttp.ClickHouseHttpException.firstLine(statement));
    }
  }

  /**
   * The cluster's rows of {@code system.clusters} (asked in {@code system}: ours may not exist).
   */
  private List<Map<String, Object>> servers() {
    ClickHouseHttp system = new ClickHouseHttp(entry.endpoint().inDatabase("system"));
    List<Map<String, Object>> rows =
        system.queryJson(
            "SELECT shard_num, replica_num, host_name, port FROM system.clusters"
                + " WHERE cluster = '"
                + cluster
                + "' ORDER BY shard_num, replica_num");
    if (rows.isEmpty()) {
      List<Object> known = new ArrayList<>();
      for (Map<String, Object> r :
          system.queryJson("SELECT DISTINCT cluster FROM system.clusters ORDER BY cluster")) {
        known.add(r.get("cluster"));
      }
      throw new IllegalArgumentException(
          "cluster '"
              + cluster
              + "' is not in system.clusters of "
              + entry.endpoint().url()
              + " (its remote_servers); it knows "
              + (known.isEmpty() ? "none" : known));
    }
    return rows;
  }
}
