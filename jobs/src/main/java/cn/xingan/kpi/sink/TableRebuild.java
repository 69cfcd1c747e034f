package cn.xingan.kpi.sink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Changes the engine or the keys of an existing table without losing a row, for {@link
 * SchemaInstaller}: ClickHouse 18.16 cannot change a table's engine, sorting key or partitioning in
 * place. Before each {@code CREATE TABLE IF NOT EXISTS t ...} of the scripts, when {@code t}
 * exists, the statement is run once more as {@code t_rebuild}; if the server gives the two tables
 * the same engine, sorting, primary and partition key, {@code t_rebuild} is dropped and nothing
 * changes. Otherwise:
 *
 * <ol>
 *   <li>columns of {@code t} that {@code t_rebuild} lacks (added by later upgrades) are added to
 *       it;
 *   <li>every row of {@code t} is copied into {@code t_rebuild};
 *   <li>{@code RENAME TABLE t TO t_replaced_N, t_rebuild TO t} (N the first number free): the old
 *       table stays, with its rows, until someone drops it by hand.
 * </ol>
 *
 * A run that stops half way is finished by the next one: a left-over {@code t_rebuild} is dropped
 * and the copy done again while {@code t} exists; if {@code t} is gone but {@code t_rebuild} is
 * there (the rename stopped between its two tables), {@code t_rebuild} becomes {@code t}. Views
 * name their tables, so they read the new table after the rename.
 */
final class TableRebuild {
  static final String SUFFIX = "_rebuild";

  private static final Pattern CREATE_TABLE =
      Pattern.compile(
          "(CREATE\\s+TABLE\\s+IF\\s+NOT\\s+EXISTS\\s+)([A-Za-z_]\\w*)(\\s*\\(.+)",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private TableRebuild() {}

  /** The table a {@code CREATE TABLE IF NOT EXISTS} statement creates, or null for another one. */
  static String tableOf(String statement) {
    Matcher m = CREATE_TABLE.matcher(statement);
    return m.matches() ? m.group(2) : null;
  }

  /** Rebuilds the statement's table when it exists with another engine or other keys. */
  static void ifChanged(ClickHouseHttp http, String statement) {
    Matcher m = CREATE_TABLE.matcher(statement);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected CREATE TABLE IF NOT EXISTS <name> (...), got: " + statement);
    }
    String table = m.group(2);
    String rebuild = table + SUFFIX;
    if (!exists(http, table)) {
      if (exists(http, rebuild)) {
        http.execute("RENAME TABLE " + rebuild + " TO " + table);
      }
      return;
    }
    http.execute("DROP TABLE IF EXISTS " + rebuild);
    http.execute(m.group(1) + rebuild + m.group(3));
    if (layout(http, table).equals(layout(http, rebuild))) {
      http.execute("DROP TABLE " + rebuild);
      return;
    }
    Map<String, String> columns = columns(http, table);
    Map<String, String> target = columns(http, rebuild);
    for (Map.Entry<String, String> c : columns.entrySet()) {
      if (!target.containsKey(c.getKey())) {
        http.execute(
            "ALTER TABLE " + rebuild + " ADD COLUMN " + quote(c.getKey()) + " " + c.getValue());
      }
    }
    List<String> names = new ArrayList<>();
    columns.keySet().forEach(c -> names.add(quote(c)));
    String list = String.join(", ", names);
    http.execute("INSERT INTO " + rebuild + " (" + list + ") SELECT " + list + " FROM " + table);
    http.execute(
        "RENAME TABLE "
            + table
            + " TO "
            + replacedName(http, table)
            + ", "
            + rebuild
            + " TO "
            + table);
  }

  private static String replacedName(ClickHouseHttp http, String table) {
    for (int n = 1; ; n++) {
      String name = table + "_replaced_" + n;
      if (!exists(http, name)) {
        return name;
      }
    }
  }

  /** Engine, sorting key, primary key and partition key, as the server normalizes them. */
  private static List<Object> layout(ClickHouseHttp http, String table) {
    Map<String, Object> row =
        http.queryJson(
                "SELECT engine, sorting_key, primary_key, partition_key FROM system.tables"
                    + " WHERE database = currentDatabase() AND name = '"
                    + table
                    + "'")
            .get(0);
    return List.of(
        row.get("engine"),
        row.get("sorting_key"),
        row.get("primary_key"),
        row.get("partition_key"));
  }

  private static Map<String, String> columns(ClickHouseHttp http, String table) {
    Map<String, String> columns = new LinkedHashMap<>();
    for (Map<String, Object> row : http.queryJson("DESCRIBE TABLE " + table)) {
      columns.put((String) row.get("name"), (String) row.get("type"));
    }
    return columns;
  }

  private static boolean exists(ClickHouseHttp http, String table) {
    return http.query("EXISTS TABLE " + table).strip().equals("1");
  }

  private static String quote(String column) {
    return "`" + column + "`";
  }
}
