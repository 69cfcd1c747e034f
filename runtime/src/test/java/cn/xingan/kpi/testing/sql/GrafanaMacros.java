package cn.xingan.kpi.testing.sql;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a Grafana query of the ClickHouse plugin into the SQL the server would receive: first the
 * dashboard variables ({@code ${name}}, as Grafana's frontend does), then the plugin's macros with
 * the expansions of {@code pkg/macros/macros.go} of grafana-clickhouse-datasource 4.x:
 *
 * <ul>
 *   <li>{@code $__timeFilter(c)} → {@code c >= toDateTime(from) AND c <= toDateTime(to)} (epoch
 *       seconds); {@code $__fromTime}, {@code $__toTime} → {@code toDateTime(seconds)};
 *   <li>{@code $__dateFilter(c)} → {@code c >= toDate('from') AND c <= toDate('to')} (the dates of
 *       the range's instants in UTC, as the plugin's Go {@code time.Time} formats them);
 *   <li>{@code $__interval_s} → the interval in seconds.
 * </ul>
 *
 * Any other {@code $...} left over fails the test: a macro this class does not know (such as {@code
 * $__timeInterval}, whose {@code toStartOfInterval} 18.16 lacks) or a variable the dashboard does
 * not define.
 */
final class GrafanaMacros {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_]\\w*)}");
  private static final Pattern MACRO = Pattern.compile("\\$__(\\w+)");
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

  private GrafanaMacros() {}

  static String expand(
      String sql, Map<String, String> variables, Instant from, Instant to, long intervalSeconds) {
    String withVariables = variables(sql, variables);
    String expanded = macros(withVariables, from, to, intervalSeconds);
    if (expanded.contains("$")) {
      throw new IllegalArgumentException(
          "unexpanded '$' left in the query (an unknown macro or variable):\n" + expanded);
    }
    return expanded;
  }

  private static String variables(String sql, Map<String, String> variables) {
    Matcher m = VARIABLE.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = variables.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException(
            "variable ${" + m.group(1) + "} is not one of " + variables.keySet() + " in:\n" + sql);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return m.appendTail(out).toString();
  }

  private static String macros(String sql, Instant from, Instant to, long intervalSeconds) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    Matcher m = MACRO.matcher(sql);
    while (m.find(i)) {
      out.append(sql, i, m.start());
      String name = m.group(1);
      int next = m.end();
      List<String> args = List.of();
      if (next < sql.length() && sql.charAt(next) == '(') {
        int close = closingParen(sql, next);
        args = topLevelArguments(sql.substring(next + 1, close));
        next = close + 1;
      }
      out.append(macro(name, args.stream().map(String::strip).toList(), from, to, intervalSeconds));
      i = next;
    }
    return out.append(sql.substring(i)).toString();
  }

  private static String macro(
      String name, List<String> args, Instant from, Instant to, long intervalSeconds) {
    String f = "toDateTime(" + from.getEpochSecond() + ")";
    String t = "toDateTime(" + to.getEpochSecond() + ")";
    return switch (name) {
      case "fromTime" -> f;
      case "toTime" -> t;
      case "interval_s" -> Long.toString(Math.max(intervalSeconds, 1));
      case "timeFilter" -> one(name, args) + " >= " + f + " AND " + args.get(0) + " <= " + t;
      case "dateFilter" ->
          one(name, args)
              + " >= toDate('"
              + DATE.format(from)
              + "') AND "
              + args.get(0)
              + " <= toDate('"
              + DATE.format(to)
              + "')";
      default ->
          throw new IllegalArgumentException(
              "macro $__"
                  + name
                  + " is not supported here; use $__timeFilter, $__dateFilter, $__fromTime,"
                  + " $__toTime or $__interval_s (they run on ClickHouse 18.16)");
    };
  }

  private static String one(String name, List<String> args) {
    if (args.size() != 1 || args.get(0).isEmpty()) {
      throw new IllegalArgumentException("$__" + name + " takes one column, got " + args);
    }
    return args.get(0);
  }

  /** Splits at the commas outside parentheses and quotes. */
  private static List<String> topLevelArguments(String inner) {
    List<String> args = new ArrayList<>();
    int depth = 0;
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < inner.length(); i++) {
      char c = inner.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')') {
        depth--;
      } else if (!quoted && depth == 0 && c == ',') {
        args.add(inner.substring(start, i));
        start = i + 1;
      }
    }
    args.add(inner.substring(start));
    return args;
  }

  private static int closingParen(String sql, int open) {
    int depth = 0;
    for (int i = open; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("unbalanced '(' at " + open + " in:\n" + sql);
  }
}
