package cn.xingan.kpi.testing.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What {@code sql/README.md} says about each view and what each planner's query in {@code
 * sql/queries/} says it answers and returns, read from the files so that the tests hold the
 * documentation to the schema: a view section is {@code ### `name`} under {@code ## Views} with a
 * table of {@code | `column` | type | meaning |} rows (or the line {@code Columns: as `other`.}); a
 * query file starts with {@code -- question?} and has a line {@code -- Returns: a, b, c}.
 */
final class SqlDocs {
  static final Path SQL = Path.of("..", "sql");
  static final Path QUERIES = SQL.resolve("queries");

  private static final Pattern SECTION = Pattern.compile("^### `(\\w+)`");
  private static final Pattern COLUMN_ROW = Pattern.compile("^\\| `(\\w+)` \\| ([^|]+) \\|");
  private static final Pattern SAME_AS = Pattern.compile("^Columns: as `(\\w+)`");

  private SqlDocs() {}

  /** A documented column: name and type as 18.16 describes it. */
  record Column(String name, String type) {}

  /**
   * A documented view: its columns, or {@code sameAs} a documented view or a table whose columns it
   * has (the line {@code Columns: as `x`.}).
   */
  record ViewDoc(List<Column> columns, String sameAs) {}

  /** A planner's query file. */
  record CookbookQuery(String file, String question, List<String> returns, String sql) {}

  /** View name → what the README says about its columns, in the README's order. */
  static Map<String, ViewDoc> views() {
    Map<String, List<Column>> columns = new LinkedHashMap<>();
    Map<String, String> sameAs = new LinkedHashMap<>();
    boolean inViews = false;
    String current = null;
    for (String line : read(SQL.resolve("README.md")).split("\n")) {
      if (line.startsWith("## ")) {
        inViews = line.strip().equals("## Views");
        current = null;
        continue;
      }
      if (!inViews) {
        continue;
      }
      Matcher section = SECTION.matcher(line);
      Matcher row = COLUMN_ROW.matcher(line);
      Matcher same = SAME_AS.matcher(line);
      if (section.find()) {
        current = section.group(1);
        columns.put(current, new ArrayList<>());
      } else if (current != null && row.find()) {
        columns.get(current).add(new Column(row.group(1), row.group(2).strip().replace("`", "")));
      } else if (current != null && same.find()) {
        sameAs.put(current, same.group(1));
      }
    }
    Map<String, ViewDoc> views = new LinkedHashMap<>();
    columns.forEach(
        (view, cols) -> views.put(view, new ViewDoc(List.copyOf(cols), sameAs.get(view))));
    return views;
  }

  static List<CookbookQuery> cookbook() {
    try (Stream<Path> files = Files.list(QUERIES)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".sql"))
          .sorted()
          .map(SqlDocs::cookbookQuery)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + QUERIES.toAbsolutePath(), e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
    }
  }

  private static CookbookQuery cookbookQuery(Path file) {
    String text = read(file);
    String[] lines = text.split("\n");
    String question = lines[0].startsWith("-- ") ? lines[0].substring(3).strip() : "";
    List<String> returns = List.of();
    for (String line : lines) {
      if (line.startsWith("-- Returns:")) {
        returns =
            Stream.of(line.substring("-- Returns:".length()).split(","))
                .map(String::strip)
                .toList();
      }
    }
    return new CookbookQuery(file.getFileName().toString(), question, returns, text);
  }
}
