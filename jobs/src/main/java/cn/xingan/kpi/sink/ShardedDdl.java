package cn.xingan.kpi.sink;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sharded layout's DDL, derived from the single-server scripts so that the two never drift
 * apart: each table {@code t} becomes a shard table {@code t_local} (same columns and engine,
 * optionally {@code Replicated…}) on every shard, and a {@code Distributed} table {@code t} over
 * them, so that users and the jobs keep reading and writing the contract's names.
 *
 * <p>The sharding key sends every version of a row to one shard, so {@code FINAL}, which
 * deduplicates per shard, stays right: the KPI tables by {@code (period, scope, scope_key)}, the
 * alerts by {@code alert_id}, the rejections by their source coordinates.
 */
final class ShardedDdl {
  static final String LOCAL_SUFFIX = "_local";

  private static final String KPI_KEY = "cityHash64(period, scope, scope_key)";
  private static final Map<String, String> SHARDING_KEYS =
      Map.of(
          "kpi_project", KPI_KEY,
          "kpi_service", KPI_KEY,
          "kpi_market", KPI_KEY,
          "project_alerts", "cityHash64(alert_id)",
          "rejected_events", "cityHash64(source, partition, `offset`)");

  private static final Pattern CREATE_TABLE =
      Pattern.compile(
          "CREATE\\s+TABLE\\s+IF\\s+NOT\\s+EXISTS\\s+([A-Za-z_]\\w*)\\s*\\(",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern ENGINE =
      Pattern.compile(
          "ENGINE\\s*=\\s*(\\w*MergeTree)(?:\\s*\\(([^)]*)\\))?", Pattern.CASE_INSENSITIVE);
  private static final Pattern ALTER_TABLE =
      Pattern.compile(
          "(ALTER\\s+TABLE\\s+)([A-Za-z_]\\w*)(\\s.*)", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private ShardedDdl() {}

  /** A {@code CREATE TABLE IF NOT EXISTS name (columns) ENGINE = …} statement, taken apart. */
  record Table(String name, String columns, String engine) {}

  /** Whether a statement creates a table (the form the scripts use). */
  static boolean createsTable(String statement) {
    return CREATE_TABLE.matcher(statement).lookingAt();
  }

  static Table parse(String statement) {
    Matcher m = CREATE_TABLE.matcher(statement);
    if (!m.lookingAt()) {
      throw new IllegalArgumentException(
          "not a CREATE TABLE IF NOT EXISTS statement: " + firstLine(statement));
    }
    int open = m.end() - 1;
    int close = matchingParenthesis(statement, open);
    String engine = statement.substring(close + 1).strip();
    if (!engine.toUpperCase(java.util.Locale.ROOT).startsWith("ENGINE")) {
      throw new IllegalArgumentException(
          "expected ENGINE after the columns of " + m.group(1) + ", found: " + firstLine(engine));
    }
    return new Table(m.group(1), statement.substring(open + 1, close).strip(), engine);
  }

  /**
   * The shard table: {@code t_local}, same columns and engine; with {@code replicated}, the engine
   * as its {@code Replicated…} twin, its ZooKeeper path by the server's {@code {shard}} macro and
   * its replica name by {@code {replica}} (18.16 has no {@code {database}} macro, so the database
   * is written into the path).
   */
  static String localTable(Table table, boolean replicated, String database) {
    String engine = table.engine();
    if (replicated) {
      Matcher m = ENGINE.matcher(engine);
      if (!m.lookingAt()) {
        throw new IllegalArgumentException(
            "table " + table.name() + " has no MergeTree engine to replicate: " + engine);
      }
      String path =
          "'/clickhouse/tables/{shard}/" + database + "/" + table.name() + LOCAL_SUFFIX + "'";
      String args = m.group(2) == null || m.group(2).isBlank() ? "" : ", " + m.group(2).strip();
      engine =
          "ENGINE = Replicated"
              + m.group(1)
              + "("
              + path
              + ", '{replica}'"
              + args
              + ")"
              + engine.substring(m.end());
    }
    return "CREATE TABLE IF NOT EXISTS "
        + table.name()
        + LOCAL_SUFFIX
        + "\n(\n    "
        + table.columns()
        + "\n)\n"
        + engine;
  }

  /** The table users and the jobs see: {@code Distributed} over the shard tables. */
  static String distributedTable(Table table, String cluster, String database) {
    String key = SHARDING_KEYS.get(table.name());
    if (key == null) {
      throw new IllegalStateException(
          "table "
              + table.name()
              + " has no sharding key in the sharded layout; add one to ShardedDdl.SHARDING_KEYS"
              + " (a key that sends every version of a row to the same shard)");
    }
    return "CREATE TABLE IF NOT EXISTS "
        + table.name()
        + "\n(\n    "
        + table.columns()
        + "\n)\nENGINE = Distributed("
        + cluster
        + ", "
        + database
        + ", "
        + table.name()
        + LOCAL_SUFFIX
        + ", "
        + key
        + ")";
  }

  /** Whether a statement alters a table (an upgrade of the scripts). */
  static boolean altersTable(String statement) {
    return ALTER_TABLE.matcher(statement).matches();
  }

  /** The same ALTER for the shard table {@code t_local}. */
  static String forLocalTable(String alter) {
    Matcher m = ALTER_TABLE.matcher(alter);
    if (!m.matches()) {
      throw new IllegalArgumentException("not an ALTER TABLE statement: " + firstLine(alter));
    }
    return m.group(1) + m.group(2) + LOCAL_SUFFIX + m.group(3);
  }

  private static int matchingParenthesis(String text, int open) {
    int depth = 0;
    for (int i = open; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      } else if (c == '\'') {
        i = text.indexOf('\'', i + 1);
        if (i < 0) {
          break;
        }
      }
    }
    throw new IllegalArgumentException("unbalanced parentheses in: " + firstLine(text));
  }

  private static String firstLine(String text) {
    String line = text.strip().split("\n", 2)[0];
    return line.length() > 120 ? line.substring(0, 120) + "..." : line;
  }
}
