package cn.xingan.kpi.sink;

import cn.xingan.kpi.config.ClickHouseEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates or upgrades the ClickHouse schema from the {@code sql/*.sql} scripts shipped in the job
 * jar, so {@code init-db}, {@code run} and {@code backfill} all install the same DDL. Resources in
 * a jar cannot be listed, so {@code sql/index.txt} names the scripts in the order they run.
 *
 * <p>Every statement must be safe to repeat. Two forms are given special handling because
 * ClickHouse 18.16 lacks the idempotent syntax that newer releases have:
 *
 * <ul>
 *   <li>{@code ALTER TABLE t ADD COLUMN IF NOT EXISTS c T ...} (one column per statement) runs
 *       without {@code IF NOT EXISTS}, and only when {@code system.columns} lacks the column;
 *   <li>{@code CREATE VIEW IF NOT EXISTS v AS SELECT ...} is dropped and created again when the
 *       view's columns no longer match its SELECT (a view's column list is fixed at creation, so
 *       {@code SELECT *} would not pick up a new column of its table);
 *   <li>{@code CREATE TABLE IF NOT EXISTS t ...} of a table that exists with another engine,
 *       sorting, primary or partition key rebuilds it with its rows ({@link TableRebuild}).
 * </ul>
 */
public final class SchemaInstaller {
  static final String INDEX = "sql/index.txt";

  private static final Pattern ADD_COLUMN =
      Pattern.compile(
          "ALTER\\s+TABLE\\s+([A-Za-z_]\\w*)\\s+ADD\\s+COLUMN\\s+IF\\s+NOT\\s+EXISTS\\s+"
              + "([A-Za-z_]\\w*)\\s+(.+)",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern CREATE_VIEW =
      Pattern.compile(
          "CREATE\\s+VIEW\\s+IF\\s+NOT\\s+EXISTS\\s+([A-Za-z_]\\w*)\\s+AS\\s+(.+)",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private SchemaInstaller() {}

  /** Creates the endpoint's database if needed, then runs every script of the index in order. */
  public static void install(ClickHouseEndpoint endpoint) {
    install(new ClickHouseHttp(endpoint));
  }

  /** As {@link #install(ClickHouseEndpoint)}, over an existing client. */
  public static void install(ClickHouseHttp http) {
    http.createDatabaseIfMissing();
    for (String script : scripts()) {
      for (String statement : statements(readResource("sql/" + script))) {
        apply(http, statement);
      }
    }
  }

  /** The script names listed in {@code sql/index.txt}, in order. */
  static List<String> scripts() {
    List<String> names = new ArrayList<>();
    for (String line : readResource(INDEX).split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      if (!name.matches("[A-Za-z0-9_.-]+\\.sql")) {
        throw new IllegalStateException(
            INDEX + " lists '" + name + "'; expected a file name ending in .sql, one per line");
      }
      names.add(name);
    }
    return names;
  }

  /**
   * Splits a script into statements: a statement ends at a line whose last character is {@code ;}.
   * Lines starting with {@code --} are dropped; the rest is passed to ClickHouse as written.
   */
  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\r?\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--")) {
        continue;
      }
      if (trimmed.endsWith(";")) {
        current.append(line, 0, line.lastIndexOf(';'));
        addIfNotBlank(statements, current);
        current.setLength(0);
      } else {
        current.append(line).append('\n');
      }
    }
    addIfNotBlank(statements, current);
    return statements;
  }

  private static void addIfNotBlank(List<String> statements, StringBuilder statement) {
    String text = statement.toString().strip();
    if (!text.isEmpty()) {
      statements.add(text);
    }
  }

  /**
   * Runs one statement with the rules above (so an upgrade or a test can apply a statement the way
   * the scripts are applied).
   */
  public static void apply(ClickHouseHttp http, String statement) {
    Matcher addColumn = ADD_COLUMN.matcher(statement);
    if (addColumn.matches()) {
      if (!columnExists(http, addColumn.group(1), addColumn.group(2))) {
        http.execute(
            "ALTER TABLE "
                + addColumn.group(1)
                + " ADD COLUMN "
                + addColumn.group(2)
                + " "
                + addColumn.group(3));
      }
      return;
    }
    if (TableRebuild.tableOf(statement) != null) {
      TableRebuild.ifChanged(http, statement);
      http.execute(statement);
      return;
    }
    Matcher createView = CREATE_VIEW.matcher(statement);
    if (createView.matches()) {
      String view = createView.group(1);
      String select = createView.group(2);
      if (tableExists(http, view)) {
        if (columns(http, "DESCRIBE TABLE " + view)
            .equals(columns(http, "DESCRIBE TABLE (" + select + ")"))) {
          return;
        }
        http.execute("DROP TABLE IF EXISTS " + view);
      }
      http.execute("CREATE VIEW IF NOT EXISTS " + view + " AS " + select);
      return;
    }
    http.execute(statement);
  }

  private static boolean tableExists(ClickHouseHttp http, String table) {
    return http.query("EXISTS TABLE " + table).strip().equals("1");
  }

  private static boolean columnExists(ClickHouseHttp http, String table, String column) {
    String sql =
        "SELECT count() AS n FROM system.columns WHERE database = currentDatabase()"
            + " AND table = '"
            + table
            + "' AND name = '"
            + column
            + "'";
    return ((Number) http.queryJson(sql).get(0).get("n")).longValue() > 0;
  }

  /** Column names and types as "name type" strings, in order. */
  private static List<String> columns(ClickHouseHttp http, String describe) {
    List<String> columns = new ArrayList<>();
    for (Map<String, Object> row : http.queryJson(describe)) {
      columns.add(row.get("name") + " " + row.get("type"));
    }
    return columns;
  }

  private static String readResource(String name) {
    ClassLoader loader = SchemaInstaller.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "resource '"
                + name
                + "' is not on the classpath; the job jar should carry the top-level sql/ folder"
                + " (see jobs/pom.xml) and sql/index.txt should name only files in it");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read resource '" + name + "'", e);
    }
  }
}
