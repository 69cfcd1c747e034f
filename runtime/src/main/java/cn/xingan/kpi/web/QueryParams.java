package cn.xingan.kpi.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parameters of one API request, decoded once and checked against what the endpoint accepts, so
 * a misspelt parameter ({@code scopekey=}) is an error instead of silently returning every row.
 */
final class QueryParams {
  private final Map<String, String> values;

  private QueryParams(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Parses a raw (still percent-encoded) query string, or {@code null} for none.
   *
   * @param accepted the parameter names the endpoint knows; any other is a 400
   */
  static QueryParams parse(String rawQuery, Set<String> accepted) {
    Map<String, String> values = new LinkedHashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        if (!accepted.contains(name)) {
          throw ApiError.badRequest(
              "unknown parameter '"
                  + name
                  + (accepted.isEmpty()
                      ? "'; this address takes none"
                      : "'; expected " + String.join(", ", accepted)));
        }
        if (values.putIfAbsent(name, value) != null) {
          throw ApiError.badRequest("parameter '" + name + "' is given more than once");
        }
      }
    }
    return new QueryParams(values);
  }

  Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  String required(String name, String expected) {
    String value = values.get(name);
    if (value == null || value.isEmpty()) {
      throw ApiError.badRequest("parameter '" + name + "' is missing; expected " + expected);
    }
    return value;
  }

  /** An integer in {@code [min, max]}, or {@code fallback} when the parameter is absent. */
  int intIn(String name, int min, int max, int fallback) {
    String text = values.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(text);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiError.badRequest(
        name + " '" + text + "' must be a whole number from " + min + " to " + max);
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("the query string has a bad %-escape in '" + text + "'");
    }
  }
}
