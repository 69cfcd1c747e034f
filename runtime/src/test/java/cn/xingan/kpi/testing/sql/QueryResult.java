package cn.xingan.kpi.testing.sql;

import cn.xingan.kpi.sink.ClickHouseHttp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns and rows of one query, read with {@code FORMAT JSON} so that the column names are
 * known even when there is no row (a dashboard panel on an empty period must still have its
 * columns). Values are kept as JSON nodes; {@link #number} reads the numbers, which ClickHouse
 * quotes when they are 64-bit.
 */
record QueryResult(String sql, List<String> columns, List<Map<String, JsonNode>> rows) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static QueryResult run(ClickHouseHttp http, String sql) {
    String body = http.query(stripSemicolon(sql) + "\nFORMAT JSON");
    try {
      JsonNode root = JSON.readTree(body);
      List<String> columns = new ArrayList<>();
      root.get("meta").forEach(m -> columns.add(m.get("name").asText()));
      List<Map<String, JsonNode>> rows = new ArrayList<>();
      for (JsonNode row : root.get("data")) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        columns.forEach(c -> values.put(c, row.get(c)));
        rows.add(values);
      }
      return new QueryResult(sql, columns, rows);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException("not the JSON of FORMAT JSON for:\n" + sql + "\n" + body, e);
    }
  }

  /** The only row; fails with the query when there are none or several. */
  Map<String, JsonNode> single() {
    if (rows.size() != 1) {
      throw new AssertionError(
          "expected exactly one row, got " + rows.size() + " " + rows + " of:\n" + sql);
    }
    return rows.get(0);
  }

  /** The rows whose {@code column} has the text {@code value}. */
  List<Map<String, JsonNode>> where(String column, String value) {
    return rows.stream().filter(r -> r.get(column).asText().equals(value)).toList();
  }

  /** The one row whose {@code column} is {@code value}; fails with the query otherwise. */
  Map<String, JsonNode> row(String column, String value) {
    List<Map<String, JsonNode>> found = where(column, value);
    if (found.size() != 1) {
      throw new AssertionError(
          found.size() + " rows with " + column + " = '" + value + "' in " + rows + " of:\n" + sql);
    }
    return found.get(0);
  }

  /** A numeric value (ClickHouse quotes 64-bit integers in JSON), or null for NULL. */
  static Double number(Map<String, JsonNode> row, String column) {
    JsonNode v = row.get(column);
    if (v == null) {
      throw new AssertionError("no column '" + column + "' in " + row.keySet());
    }
    return v.isNull() ? null : Double.valueOf(v.asText());
  }

  private static String stripSemicolon(String sql) {
    String s = sql.strip();
    return s.endsWith(";") ? s.substring(0, s.length() - 1) : s;
  }
}
