package cn.xingan.kpi.sink;

import cn.xingan.kpi.config.ClickHouseEndpoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code run} and {@code backfill} do about the schema before they start. The jobs should run
 * as a user that may only insert ({@code kpi_writer}), and such a user may not create tables; so
 * they first check whether every table, column and view of {@code sql/} is there, and run the
 * installer only when something is missing. When the user may not create it either, they stop with
 * what is missing and what to do, rather than with the server's "DDL queries are prohibited".
 *
 * <p>A statement of a form the check does not know is taken as applied; should it not be, the sink
 * stops on the first write with the table and column named.
 */
public final class SchemaGate {
  private static final Pattern CREATE_TABLE =
      Pattern.compile(
          "CREATE\\s+TABLE\\s+IF\\s+NOT\\s+EXISTS\\s+([A-Za-z_]\\w*)\\b.*",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern ADD_COLUMN =
      Pattern.compile(
          "ALTER\\s+TABLE\\s+([A-Za-z_]\\w*)\\s+ADD\\s+COLUMN\\s+IF\\s+NOT\\s+EXISTS\\s+"
              + "([A-Za-z_]\\w*)\\s+.+",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern CREATE_VIEW =
      Pattern.compile(
          "CREATE\\s+VIEW\\s+IF\\s+NOT\\s+EXISTS\\s+([A-Za-z_]\\w*)\\s+AS\\s+(.+)",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private SchemaGate() {}

  /**
   * Returns when the schema is complete, installing what is missing if the user may; throws an
   * {@link IllegalStateException} naming what is missing and the user when it may not.
   */
  public static void ensure(ClickHouseEndpoint endpoint) {
    ClickHouseHttp http = new ClickHouseHttp(endpoint);
    List<String> missing = missing(http);
    if (missing.isEmpty()) {
      return;
    }
    if (http.databaseExists() && isSharded(http)) {
      throw new IllegalStateException(
          "the ClickHouse schema in database '"
              + endpoint.database()
              + "' at "
              + endpoint.url()
              + " is in the sharded layout (Distributed tables) and lacks "
              + String.join(", ", missing)
              + ": run `bin/kpi init-db --cluster NAME` as an admin user, which creates it on"
              + " every shard");
    }
    try {
      SchemaInstaller.install(http);
    } catch (ClickHouseHttp.ClickHouseHttpException e) {
      if (!ClickHouseErrors.isAccessCode(e.errorCode())) {
        throw e;
      }
      throw new IllegalStateException(
          "the ClickHouse schema in database '"
              + endpoint.database()
              + "' at "
              + endpoint.url()
              + " lacks "
              + String.join(", ", missing)
              + ", and user '"
              + endpoint.user()
              + "' may not create it: run `bin/kpi init-db` as an admin user (e.g."
              + " --clickhouse-user default), then start again",
          e);
    }
  }

  /**
   * What the scripts would still create or change, e.g. {@code table kpi_service}, {@code column
   * kpi_service.x}, {@code view kpi_service_final (columns differ)}; empty when nothing.
   */
  public static List<String> missing(ClickHouseHttp http) {
    String database = http.endpoint().database();
    if (!http.databaseExists()) {
      return List.of("database " + database);
    }
    Set<String> tables = new HashSet<>();
    for (Map<String, Object> row :
        http.queryJson("SELECT name FROM system.tables WHERE database = currentDatabase()")) {
      tables.add((String) row.get("name"));
    }
    Set<String> columns = new HashSet<>();
    for (Map<String, Object> row :
        http.queryJson(
            "SELECT table, name FROM system.columns WHERE database = currentDatabase()")) {
      columns.add(row.get("table") + "." + row.get("name"));
    }
    List<String> missing = new ArrayList<>();
    for (String statement : SchemaScripts.statements()) {
      String lack = lack(http, statement, tables, columns);
      if (lack != null) {
        missing.add(lack);
      }
    }
    return missing;
  }

  /** Whether the database holds Distributed tables: the single-server DDL must not go there. */
  private static boolean isSharded(ClickHouseHttp http) {
    String sql =
        "SELECT count() AS n FROM system.tables WHERE database = currentDatabase()"
            + " AND engine = 'Distributed'";
    return ((Number) http.queryJson(sql).get(0).get("n")).longValue() > 0;
  }

  /** What a statement would add that is not there, or null. */
  private static String lack(
      ClickHouseHttp http, String statement, Set<String> tables, Set<String> columns) {
    Matcher table = CREATE_TABLE.matcher(statement);
    if (table.matches()) {
      return tables.contains(table.group(1)) ? null : "table " + table.group(1);
    }
    Matcher column = ADD_COLUMN.matcher(statement);
    if (column.matches()) {
      String name = column.group(1) + "." + column.group(2);
      return columns.contains(name) ? null : "column " + name;
    }
    Matcher view = CREATE_VIEW.matcher(statement);
    if (view.matches()) {
      String name = view.group(1);
      if (!tables.contains(name)) {
        return "view " + name;
      }
      try {
        boolean same =
            describe(http, "DESCRIBE TABLE " + name)
                .equals(describe(http, "DESCRIBE TABLE (" + view.group(2) + ")"));
        return same ? null : "view " + name + " (columns differ)";
      } catch (ClickHouseHttp.ClickHouseHttpException e) {
        // the view reads a table or view that is missing (listed on its own): it is to be made
        return "view " + name + " (reads something missing)";
      }
    }
    return null;
  }

  private static List<String> describe(ClickHouseHttp http, String sql) {
    List<String> columns = new ArrayList<>();
    for (Map<String, Object> row : http.queryJson(sql)) {
      columns.add(row.get("name") + " " + row.get("type"));
    }
    return columns;
  }
}
