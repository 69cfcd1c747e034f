package cn.xingan.kpi.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;

/**
 * The decoder's fastest path, before {@link FlatRecord}: a record that is one JSON object of
 * strings without escapes or control characters, whole numbers of up to 18 digits, booleans and
 * nulls (nearly every service and market event) read straight from its bytes, without a parser. It
 * is stricter than JSON: anything else, even if valid (an escape, a longer number, a long name),
 * and anything invalid returns {@code null} and is read by {@link FlatRecord} or the tree, so what
 * is accepted, the values and every rejection's message stay exactly Jackson's. Creating a Jackson
 * parser per record and reading it token by token was two thirds of the decode threads' time (JFR).
 *
 * <p>The bytes must be valid UTF-8 ({@link EventDecoder} checks them first, with {@link
 * FastIso#firstInvalidUtf8}); only bytes below 0x80 have a meaning to JSON's syntax.
 */
final class PlainRecord {
  /** More fields than any event has: a record with more goes to the next path. */
  private static final int MAX_FIELDS = 32;

  /** Names are short; Jackson has its own limit on long ones, so those go on to it. */
  private static final int MAX_NAME_BYTES = 256;

  /** Up to 18 digits a whole number is surely a {@code long}; longer ones go on to Jackson. */
  private static final int MAX_DIGITS = 18;

  private PlainRecord() {}

  /** The record's fields, or {@code null} when the record is for the next path to read. */
  static Fields read(RepeatedValues repeated, byte[] b, int offset, int length) {
    int end = offset + length;
    int i = space(b, offset, end);
    if (i == end || b[i] != '{') {
      return null;
    }
    String[] names = new String[MAX_FIELDS];
    JsonNode[] values = new JsonNode[MAX_FIELDS];
    int size = 0;
    i = space(b, i + 1, end);
    if (i < end && b[i] == '}') {
      i++;
    } else {
      while (true) {
        // a name
        if (i == end || b[i] != '"' || size == MAX_FIELDS) {
          return null;
        }
        int nameStart = ++i;
        i = plainString(b, i, end);
        if (i < 0 || i - nameStart > MAX_NAME_BYTES) {
          return null;
        }
        String name = repeated.name(size, b, nameStart, i);
        if (repeats(names, size, name)) {
          return null;
        }
        i = space(b, i + 1, end);
        if (i == end || b[i] != ':') {
          return null;
        }
        i = space(b, i + 1, end);
        if (i == end) {
          return null;
        }
        // a value
        JsonNode value;
        byte c = b[i];
        if (c == '"') {
          int start = ++i;
          i = plainString(b, i, end);
          if (i < 0) {
            return null;
          }
          value = repeated.text(name, b, start, i);
          i++;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
          boolean negative = c == '-';
          if (negative) {
            i++;
          }
          int digits = i;
          long v = 0;
          while (i < end && b[i] >= '0' && b[i] <= '9') {
            v = 10 * v + (b[i++] - '0');
          }
          int count = i - digits;
          if (count == 0
              || count > MAX_DIGITS
              || (b[digits] == '0' && count > 1)
              || (i < end && (b[i] == '.' || b[i] == 'e' || b[i] == 'E'))) {
            return null; // no digit, too long, a leading zero, a fraction or an exponent
          }
          v = negative ? -v : v;
          value =
              v == (int) v
                  ? RecordNodes.INSTANCE.numberNode((int) v)
                  : RecordNodes.INSTANCE.numberNode(v);
        } else if (literal(b, i, end, "true")) {
          value = RecordNodes.INSTANCE.booleanNode(true);
          i += 4;
        } else if (literal(b, i, end, "false")) {
          value = RecordNodes.INSTANCE.booleanNode(false);
          i += 5;
        } else if (literal(b, i, end, "null")) {
          value = RecordNodes.INSTANCE.nullNode();
          i += 4;
        } else {
          return null;
        }
        names[size] = name;
        values[size++] = value;
        // what follows a value: more fields or the end of the object
        i = space(b, i, end);
        if (i == end) {
          return null;
        }
        if (b[i] == '}') {
          i++;
          break;
        }
        if (b[i] != ',') {
          return null; // also "truex", "12a": a value runs into something that is not JSON
        }
        i = space(b, i + 1, end);
      }
    }
    return space(b, i, end) == end ? new Fields(names, values, size) : null;
  }

  /** The index of the first byte from {@code i} that is not JSON whitespace, or {@code end}. */
  private static int space(byte[] b, int i, int end) {
    while (i < end && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
      i++;
    }
    return i;
  }

  /**
   * The index of the closing quote of a string that starts at {@code i}, or -1 when it has an
   * escape or a control character, or does not close.
   */
  private static int plainString(byte[] b, int i, int end) {
    for (; i < end; i++) {
      byte c = b[i];
      if (c == '"') {
        return i;
      }
      if (c == '\\' || (c >= 0 && c < 0x20)) {
        return -1;
      }
    }
    return -1;
  }

  private static boolean literal(byte[] b, int i, int end, String word) {
    if (end - i < word.length()) {
      return false;
    }
    for (int k = 0; k < word.length(); k++) {
      if (b[i + k] != word.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static boolean repeats(String[] names, int size, String name) {
    for (int i = 0; i < size; i++) {
      if (names[i] == name) { // names are interned
        return true;
      }
    }
    return false;
  }

  /** The string of valid UTF-8 bytes: a Latin-1 copy when they are all ASCII (most are). */
  static String string(byte[] b, int start, int end) {
    for (int i = start; i < end; i++) {
      if (b[i] < 0) {
        return new String(b, start, end - start, StandardCharsets.UTF_8);
      }
    }
    return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
  }
}
