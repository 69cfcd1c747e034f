package cn.xingan.kpi.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Typed, validated reads of one JSON object's fields, each failure naming the field, the value and
 * what the contract expects. A JSON {@code null} counts as absent.
 */
final class Fields {
  private static final Pattern CODE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  /** ClickHouse's Date and DateTime hold 1970 up to 2105; keep well inside. */
  private static final long MIN_TIME = 0L;

  private static final long MAX_TIME = 4_102_444_800_000L; // 2100-01-01T00:00:00Z

  private final JsonNode node;

  Fields(JsonNode node) {
    this.node = node;
  }

  boolean has(String name) {
    JsonNode v = node.get(name);
    return v != null && !v.isNull();
  }

  private JsonNode required(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      throw new InvalidEvent(Rejection.MISSING_FIELD, "missing field '" + name + "'");
    }
    return v;
  }

  String text(String name) {
    return text(name, 1, 1024);
  }

  String text(String name, int minLength, int maxLength) {
    JsonNode v = required(name);
    if (!v.isTextual()) {
      throw invalid(name, v, "a string");
    }
    String s = v.textValue();
    if (s.length() < minLength || s.length() > maxLength) {
      throw invalid(name, v, "a string of " + minLength + " to " + maxLength + " characters");
    }
    return s;
  }

  /** A lower-case kebab-case code such as {@code horqin-right-front}. */
  String code(String name) {
    String s = text(name, 1, 128);
    if (!CODE.matcher(s).matches()) {
      throw invalid(name, node.get(name), "a lower-case kebab-case code like 'horqin-right-front'");
    }
    return s;
  }

  <E> E oneOf(String name, Map<String, E> allowed) {
    JsonNode v = required(name);
    E e = v.isTextual() ? allowed.get(v.textValue()) : null;
    if (e == null) {
      throw invalid(name, v, "one of " + String.join(", ", allowed.keySet()));
    }
    return e;
  }

  /** An ISO-8601 date-time with an offset, as epoch millis. */
  long instant(String name) {
    JsonNode v = required(name);
    if (!v.isTextual()) {
      throw invalid(name, v, "an ISO-8601 date-time with offset, e.g. 2026-06-30T09:30:00+08:00");
    }
    long millis;
    try {
      millis =
          OffsetDateTime.parse(v.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
              .toInstant()
              .toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw invalid(name, v, "an ISO-8601 date-time with offset, e.g. 2026-06-30T09:30:00+08:00");
    }
    if (millis < MIN_TIME || millis >= MAX_TIME) {
      throw invalid(name, v, "a time from 1970 to 2099");
    }
    return millis;
  }

  /** A whole number (also written as e.g. {@code 5.0}) within [min, max]. */
  int integer(String name, int min, int max) {
    JsonNode v = required(name);
    if (!v.isNumber() || !v.canConvertToExactIntegral() || !v.canConvertToLong()) {
      throw invalid(name, v, "a whole number from " + min + " to " + max);
    }
    long n = v.asLong();
    if (n < min || n > max) {
      throw invalid(name, v, "a whole number from " + min + " to " + max);
    }
    return (int) n;
  }

  InvalidEvent invalid(String name, JsonNode value, String expected) {
    String shown = value == null ? "null" : value.toString();
    if (shown.length() > 80) {
      shown = shown.substring(0, 77) + "...";
    }
    return new InvalidEvent(
        Rejection.INVALID_VALUE, "field '" + name + "' is " + shown + "; expected " + expected);
  }
}
