package cn.xingan.kpi.web;

import cn.xingan.kpi.sink.ClickHouseHttp;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The columns of each table as the server has them ({@code DESCRIBE TABLE}), so the API answers
 * with every column under its own name, including columns a later schema adds. DateTime columns are
 * read as epoch seconds and answered as ISO-8601 in the page's zone (their text form would depend
 * on the server's zone); the instant 0 ({@code resolved_at} of an open alert) is {@code null}, as
 * in the {@code project-alerts} messages.
 */
final class TableColumns {
  private record Column(String name, boolean dateTime) {}

  private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  private final ClickHouseHttp http;
  private final ZoneId zone;
  private final Map<String, List<Column>> byTable = new ConcurrentHashMap<>();

  TableColumns(ClickHouseHttp http, ZoneId zone) {
    this.http = http;
    this.zone = zone;
  }

  /** The select list of {@code table}; described once, or again after a failed try. */
  String selectList(String table) {
    return columns(table).stream()
        .map(
            c ->
                c.dateTime()
                    ? "toUnixTimestamp("
                        + SqlText.identifier(c.name())
                        + ") AS "
                        + SqlText.identifier(c.name())
                    : SqlText.identifier(c.name()))
        .collect(Collectors.joining(", "));
  }

  /** The rows of a query on {@code table}, each keyed by column name in table order. */
  List<Map<String, Object>> rows(String table, String sql) {
    List<Column> columns = columns(table);
    return http.queryJson(sql).stream().map(r -> present(columns, r)).toList();
  }

  private Map<String, Object> present(List<Column> columns, Map<String, Object> row) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Column c : columns) {
      Object v = row.get(c.name());
      out.put(c.name(), c.dateTime() && v instanceof Number n ? instant(n.longValue()) : v);
    }
    return out;
  }

  private String instant(long epochSeconds) {
    return epochSeconds == 0
        ? null
        : TIME.format(Instant.ofEpochSecond(epochSeconds).atZone(zone).toOffsetDateTime());
  }

  private List<Column> columns(String table) {
    return byTable.computeIfAbsent(
        table,
        t ->
            http.queryJson("DESCRIBE TABLE " + SqlText.identifier(t)).stream()
                .map(
                    r ->
                        new Column(
                            (String) r.get("name"),
                            ((String) r.get("type")).startsWith("DateTime")))
                .toList());
  }
}
