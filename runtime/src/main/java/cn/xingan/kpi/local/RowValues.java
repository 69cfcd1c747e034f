package cn.xingan.kpi.local;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Typed reads of one row parsed from ClickHouse {@code FORMAT JSONEachRow}, where UInt64 arrives as
 * a quoted string and other numbers as JSON numbers; shared by the live tables' row records.
 */
final class RowValues {
  private RowValues() {}

  static String text(String table, Map<String, Object> row, String column) {
    Object value = row.get(column);
    if (value == null) {
      throw new IllegalArgumentException(table + " row lacks column '" + column + "': " + row);
    }
    return value.toString();
  }

  static LocalDate date(String table, Map<String, Object> row, String column) {
    String value = text(table, row, column);
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "column '" + column + "' is '" + value + "'; expected a date YYYY-MM-DD", e);
    }
  }

  /** A count: a JSON number or, as ClickHouse writes UInt64, a numeric string; absent is 0. */
  static long whole(Map<String, Object> row, String column) {
    Object value = row.get(column);
    if (value == null) {
      return 0;
    }
    if (value instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "column '" + column + "' is '" + value + "'; expected a whole number", e);
    }
  }

  static double decimal(Map<String, Object> row, String column) {
    Object value = row.get(column);
    if (value == null) {
      return 0;
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "column '" + column + "' is '" + value + "'; expected a number", e);
    }
  }
}
