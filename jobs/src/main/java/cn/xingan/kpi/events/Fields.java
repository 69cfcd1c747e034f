package cn.xingan.kpi.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Map;

/**
 * Typed, validated reads of one JSON object's fields, each failure naming the field, the value and
 * what the contract expects. A JSON {@code null} counts as absent.
 */
final class Fields {

  /**
   * {@code YYYY-MM-DDThh:mm[:ss[.f{1,9}]]} and {@code Z} or {@code ±hh:mm}, case-sensitive and with
   * real dates: the form of the schemas' {@code offsetDateTime}. {@code ISO_OFFSET_DATE_TIME} alone
   * also takes {@code +08}, {@code +08:00:00}, a lower-case {@code t}/{@code z} and an empty
   * fraction, which the schemas (and ISO 8601's extended format) do not.
   */
  private static final DateTimeFormatter OFFSET_DATE_TIME =
      new DateTimeFormatterBuilder()
          .parseCaseSensitive()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .appendLiteral('T')
          .appendValue(ChronoField.HOUR_OF_DAY, 2)
          .appendLiteral(':')
          .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
          .optionalStart()
          .appendLiteral(':')
          .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
          .optionalEnd()
          .optionalEnd()
          .appendOffset("+HH:MM", "Z")
          .toFormatter()
          .withResolverStyle(ResolverStyle.STRICT)
          .withChronology(IsoChronology.INSTANCE);

  private static final DateTimeFormatter LOCAL_DATE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd")
          .withResolverStyle(ResolverStyle.STRICT)
          .withChronology(IsoChronology.INSTANCE);

  private static final String OFFSET_DATE_TIME_EXPECTED =
      "an ISO-8601 date-time with offset Z or ±hh:mm, e.g. 2026-06-30T09:30:00+08:00";

  /** ClickHouse's Date and DateTime hold 1970 up to 2105; keep well inside. */
  private static final long MIN_TIME = 0L;

  private static final long MAX_TIME = 4_102_444_800_000L; // 2100-01-01T00:00:00Z

  /** The object's field names and values, in the record's order. */
  private final String[] names;

  private final JsonNode[] values;
  private final int size;

  /** Where the previous lookup found its name: fields are mostly read in the record's order. */
  private int cursor;

  /** The fields of a parsed object (the tree, for records {@link FlatRecord} does not take). */
  Fields(JsonNode object) {
    this.size = object.size();
    this.names = new String[size];
    this.values = new JsonNode[size];
    int i = 0;
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      names[i] = e.getKey();
      values[i++] = e.getValue();
    }
  }

  /** The first {@code size} names and values of the arrays (kept, not copied). */
  Fields(String[] names, JsonNode[] values, int size) {
    this.names = names;
    this.values = values;
    this.size = size;
  }

  /**
   * The value of a field, or {@code null}. Names from Jackson's parser are interned, as are the
   * literals asked for, so an identity scan from the previous hit finds a field in a step or two;
   * {@code equals} is the fallback for names the parser did not canonicalize.
   */
  JsonNode get(String name) {
    for (int n = 0, i = cursor; n < size; n++, i = i + 1 == size ? 0 : i + 1) {
      if (names[i] == name) {
        cursor = i + 1 == size ? 0 : i + 1;
        return values[i];
      }
    }
    for (int i = 0; i < size; i++) {
      if (names[i].equals(name)) {
        return values[i];
      }
    }
    return null;
  }

  /** How many fields the object has. */
  int size() {
    return size;
  }

  boolean has(String name) {
    JsonNode v = get(name);
    return v != null && !v.isNull();
  }

  private JsonNode required(String name) {
    JsonNode v = get(name);
    if (v == null || v.isNull()) {
      throw new InvalidEvent(Rejection.MISSING_FIELD, "missing field '" + name + "'");
    }
    return v;
  }

  /** A non-empty string of any length (the record size limit bounds it). */
  String text(String name) {
    return text(name, 1, Integer.MAX_VALUE);
  }

  /** A string whose length in characters (code points, as JSON Schema counts) is in range. */
  String text(String name, int minLength, int maxLength) {
    JsonNode v = required(name);
    if (!v.isTextual()) {
      throw invalid(name, v, "a string");
    }
    String s = v.textValue();
    // A string of n chars holds n/2 (rounded up) to n code points: count only when that matters.
    int chars = s.length();
    boolean surelyInRange = chars <= maxLength && (chars + 1) / 2 >= minLength;
    if (!surelyInRange && !inRange(s.codePointCount(0, chars), minLength, maxLength)) {
      throw invalid(
          name,
          v,
          maxLength == Integer.MAX_VALUE
              ? "a string of at least " + minLength + " characters"
              : "a string of " + minLength + " to " + maxLength + " characters");
    }
    return s;
  }

  private static boolean inRange(int n, int min, int max) {
    return n >= min && n <= max;
  }

  /** A lower-case kebab-case code such as {@code horqin-right-front}. */
  String code(String name) {
    String s = text(name);
    if (!FastIso.isKebabCode(s)) {
      throw invalid(name, get(name), "a lower-case kebab-case code like 'horqin-right-front'");
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
      throw invalid(name, v, OFFSET_DATE_TIME_EXPECTED);
    }
    long millis = FastIso.epochMillis(v.textValue());
    if (millis == FastIso.UNKNOWN) {
      try {
        millis = OffsetDateTime.parse(v.textValue(), OFFSET_DATE_TIME).toInstant().toEpochMilli();
      } catch (DateTimeParseException | ArithmeticException e) {
        throw invalid(name, v, OFFSET_DATE_TIME_EXPECTED);
      }
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
      throw invalid(name, v, integerExpected(min, max));
    }
    long n = v.asLong();
    if (n < min || n > max) {
      throw invalid(name, v, integerExpected(min, max));
    }
    return (int) n;
  }

  /** Built only for a rejection: the concatenation cost 2% of a backfill's CPU per event. */
  private static String integerExpected(int min, int max) {
    return max == Integer.MAX_VALUE
        ? "a whole number >= " + min + " (at most " + Integer.MAX_VALUE + ")"
        : "a whole number from " + min + " to " + max;
  }

  /** Any JSON number, exactly as written (the reader keeps decimals as {@link BigDecimal}). */
  BigDecimal number(String name, String expected) {
    JsonNode v = required(name);
    if (!v.isNumber()) {
      throw invalid(name, v, expected);
    }
    return v.decimalValue();
  }

  /** A local date written {@code YYYY-MM-DD} that exists in the calendar. */
  LocalDate date(String name) {
    JsonNode v = required(name);
    String expected = "a date YYYY-MM-DD, e.g. 2026-06-30";
    if (!v.isTextual() || !isDateShape(v.textValue())) {
      throw invalid(name, v, expected);
    }
    try {
      return LocalDate.parse(v.textValue(), LOCAL_DATE);
    } catch (DateTimeParseException e) {
      throw invalid(name, v, expected + " that exists");
    }
  }

  /** Exactly {@code dddd-dd-dd} (ASCII digits); the calendar check is the parser's. */
  private static boolean isDateShape(String s) {
    if (s.length() != 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      char c = s.charAt(i);
      if (i != 4 && i != 7 && (c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  /** An optional boolean: absent or {@code null} is false. */
  boolean flag(String name) {
    if (!has(name)) {
      return false;
    }
    JsonNode v = get(name);
    if (!v.isBoolean()) {
      throw invalid(name, v, "true, false or null");
    }
    return v.booleanValue();
  }

  /** The field's value as JSON, shortened, for messages. */
  String raw(String name) {
    return shown(get(name));
  }

  InvalidEvent invalid(String name, JsonNode value, String expected) {
    return new InvalidEvent(
        Rejection.INVALID_VALUE,
        "field '" + name + "' is " + shown(value) + "; expected " + expected);
  }

  private static String shown(JsonNode value) {
    String shown = value == null ? "null" : value.toString();
    if (shown.length() <= 80) {
      return shown;
    }
    int cut = Character.isHighSurrogate(shown.charAt(76)) ? 76 : 77; // keep characters whole
    return shown.substring(0, cut) + "...";
  }
}
