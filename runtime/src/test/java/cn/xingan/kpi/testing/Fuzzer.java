// The fuzz test needs thousands of hostile records whose fate is known in advance — which are
// rejected and for which reasons, which are duplicates — mixed into a stream's valid traffic. They
// are derived from the scenario's own valid records, so the same fuzzer serves every stream.
package cn.xingan.kpi.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Valid records of a stream mixed with fuzzed ones, each with its expected fate. What the contract
 * says of each kind (CONTRACT §1, §3):
 *
 * <ul>
 *   <li>random bytes, truncated JSON, invalid UTF-8, JSON that is no object, trailing data: {@code
 *       malformed_json}; so is nesting 1,000 levels deep, even inside an unknown field of a valid
 *       event (the parser's depth limit of 64 keeps hostile records cheap);
 *   <li>a present field with a value of another JSON type, an empty or 129-character event id, an
 *       impossible or offset-less event time, a number no integer field can hold: {@code
 *       invalid_value} (a number longer than the parser's limit: {@code malformed_json});
 *   <li>no {@code event_id} or {@code event_time} (absent or null): {@code missing_field};
 *   <li>stamped in 2099: {@code future} (the tests run with a max-future of ten years);
 *   <li>over the record size limit (one of 10 MiB, some one byte over): {@code too_large};
 *   <li>a repeat of a valid event's id, identical or not: dropped, counted in {@code duplicates};
 *   <li>unknown fields on a valid event: ignored — the event counts (those are valid traffic, as is
 *       one event padded with an unknown field to exactly the size limit).
 * </ul>
 */
final class Fuzzer {

  enum Kind {
    VALID,
    DUPLICATE,
    RANDOM_BYTES,
    TRUNCATED,
    WRONG_TYPE,
    HUGE_NUMBER,
    INVALID_UTF8,
    DEEP_NESTING,
    TOO_LARGE,
    NOT_AN_OBJECT,
    MISSING_FIELD,
    INVALID_VALUE,
    FUTURE,
    UNKNOWN_FIELDS_ON_INVALID
  }

  /**
   * One record to send: its kind, Kafka key and value, and the rejection reasons it may get (empty
   * for valid events and duplicates, which must not be rejected).
   */
  record Item(Kind kind, String key, byte[] value, Set<String> reasons) {
    boolean rejected() {
      return !reasons.isEmpty();
    }
  }

  private static final String MALFORMED = "malformed_json";
  private static final String INVALID = "invalid_value";
  private static final String MISSING = "missing_field";
  private static final int NESTING = 1_000;
  private static final int HUGE_RECORD_BYTES = 10 * 1024 * 1024;

  /** Fuzzed records per kind, per 10,000. */
  private static final Map<Kind, Integer> SHARE = new LinkedHashMap<>();

  static {
    SHARE.put(Kind.RANDOM_BYTES, 1500);
    SHARE.put(Kind.TRUNCATED, 1500);
    SHARE.put(Kind.WRONG_TYPE, 1500);
    SHARE.put(Kind.HUGE_NUMBER, 900);
    SHARE.put(Kind.INVALID_UTF8, 800);
    SHARE.put(Kind.DEEP_NESTING, 200);
    SHARE.put(Kind.TOO_LARGE, 5);
    SHARE.put(Kind.NOT_AN_OBJECT, 295);
    SHARE.put(Kind.MISSING_FIELD, 800);
    SHARE.put(Kind.INVALID_VALUE, 900);
    SHARE.put(Kind.FUTURE, 100);
    SHARE.put(Kind.UNKNOWN_FIELDS_ON_INVALID, 500);
    SHARE.put(Kind.DUPLICATE, 1000);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Random random;
  private final List<Map.Entry<String, String>> valid;
  private final int maxRecordBytes;

  private Fuzzer(long seed, List<Map.Entry<String, String>> valid, int maxRecordBytes) {
    this.random = new Random(seed);
    this.valid = valid;
    this.maxRecordBytes = maxRecordBytes;
  }

  /**
   * The valid records, in their order (every seventh with unknown fields added, one padded to
   * exactly {@code maxRecordBytes}), with {@code fuzzed} records (10,000 gives the shares above)
   * inserted at random places; a duplicate comes 1–20 records after its original, so that it is
   * never late.
   */
  static List<Item> mix(
      List<Map.Entry<String, String>> valid, int fuzzed, int maxRecordBytes, long seed) {
    return new Fuzzer(seed, valid, maxRecordBytes).mix(fuzzed);
  }

  private List<Item> mix(int fuzzed) {
    List<Item> items = new ArrayList<>();
    int padded = random.nextInt(valid.size());
    for (int i = 0; i < valid.size(); i++) {
      Map.Entry<String, String> v = valid.get(i);
      String json = v.getValue();
      if (i == padded) {
        json = padTo(json, maxRecordBytes);
      } else if (i % 7 == 3) {
        json = withUnknownFields(json);
      }
      items.add(new Item(Kind.VALID, v.getKey(), utf8(json), Set.of()));
    }
    int total = SHARE.values().stream().mapToInt(Integer::intValue).sum();
    List<Item> fuzz = new ArrayList<>();
    int duplicates = 0;
    for (Map.Entry<Kind, Integer> share : SHARE.entrySet()) {
      Kind kind = share.getKey();
      int n =
          kind == Kind.TOO_LARGE
              ? share.getValue()
              : Math.round((float) fuzzed * share.getValue() / total);
      if (kind == Kind.DUPLICATE) {
        duplicates = n;
      } else {
        for (int i = 0; i < n; i++) {
          fuzz.add(make(kind, i));
        }
      }
    }
    // Rounding (and the fixed number of too-large records): make up the total with truncated
    // records, or take truncated records away.
    while (fuzz.size() + duplicates < fuzzed) {
      fuzz.add(make(Kind.TRUNCATED, fuzz.size()));
    }
    for (int i = fuzz.size() - 1; fuzz.size() + duplicates > fuzzed; i--) {
      if (fuzz.get(i).kind() == Kind.TRUNCATED) {
        fuzz.remove(i);
      }
    }
    for (Item f : fuzz) {
      items.add(random.nextInt(items.size() + 1), f);
    }
    for (int i = 0; i < duplicates; i++) {
      insertDuplicate(items, i);
    }
    return items;
  }

  /**
   * A copy of a random valid event 1–20 records later, but before any valid event more than a day
   * after it: in a sparse stream (a few project events a week) the next valid event can move the
   * watermark past the original's periods plus the allowed lateness, and the repeat would be late
   * (rejected as such, rightly) rather than a duplicate. Every fifth copy has an extra field.
   */
  private void insertDuplicate(List<Item> items, int n) {
    int at;
    do {
      at = random.nextInt(items.size());
    } while (items.get(at).kind() != Kind.VALID);
    Item original = items.get(at);
    byte[] value = original.value();
    if (n % 5 == 0 && value.length < maxRecordBytes / 2) {
      // A retry that differs from the original (a field of its own): still the same event.
      String json = new String(value, StandardCharsets.UTF_8);
      value = utf8(json.substring(0, json.length() - 1) + ",\"x_retry_attempt\":2}");
    }
    int later = Math.min(items.size(), at + 1 + random.nextInt(20));
    Instant limit = eventTime(original.value()).plus(Duration.ofDays(1));
    for (int i = at + 1; i < later; i++) {
      if (items.get(i).kind() == Kind.VALID && eventTime(items.get(i).value()).isAfter(limit)) {
        later = i;
      }
    }
    items.add(later, new Item(Kind.DUPLICATE, original.key(), value, Set.of()));
  }

  private Item make(Kind kind, int n) {
    Map.Entry<String, String> base = valid.get(random.nextInt(valid.size()));
    String key = base.getKey();
    String json = base.getValue();
    return switch (kind) {
      case RANDOM_BYTES -> item(kind, "fuzz-" + n, randomBytes(), MALFORMED);
      case TRUNCATED -> {
        byte[] b = utf8(json);
        byte[] cut = new byte[1 + random.nextInt(b.length - 1)];
        System.arraycopy(b, 0, cut, 0, cut.length);
        yield item(kind, key, cut, MALFORMED);
      }
      case WRONG_TYPE -> item(kind, key, utf8(wrongType(json)), INVALID);
      case HUGE_NUMBER -> huge(key, json);
      case INVALID_UTF8 -> item(kind, key, invalidUtf8(json), MALFORMED);
      case DEEP_NESTING -> item(kind, key, utf8(deep(json, n)), MALFORMED);
      case TOO_LARGE -> {
        int size = n == 0 ? HUGE_RECORD_BYTES : maxRecordBytes + 1;
        yield item(kind, key, utf8(padTo(json, size)), "too_large");
      }
      case NOT_AN_OBJECT -> item(kind, key, utf8(notAnObject(json, n)), MALFORMED);
      case MISSING_FIELD -> item(kind, key, utf8(missing(json, n)), MISSING);
      case INVALID_VALUE -> item(kind, key, utf8(invalidValue(json, n)), INVALID);
      case FUTURE ->
          item(kind, key, utf8(with(json, "event_time", "2099-06-30T09:30:00+08:00")), "future");
      case UNKNOWN_FIELDS_ON_INVALID -> {
        String broken = n % 2 == 0 ? missing(json, n) : invalidValue(json, n);
        yield item(kind, key, utf8(withUnknownFields(broken)), n % 2 == 0 ? MISSING : INVALID);
      }
      case VALID, DUPLICATE -> throw new IllegalArgumentException(kind + " is not made here");
    };
  }

  private static Item item(Kind kind, String key, byte[] value, String... reasons) {
    return new Item(kind, key, value, Set.of(reasons));
  }

  // ---- the mutations ----

  /** Random bytes (empty sometimes) that are not by chance a JSON object. */
  private byte[] randomBytes() {
    while (true) {
      byte[] b = new byte[random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(300)];
      random.nextBytes(b);
      if (!parsesAsObject(b)) {
        return b;
      }
    }
  }

  /** A present field's value replaced by one of another JSON type (never null: null = absent). */
  private String wrongType(String json) {
    ObjectNode o = object(json);
    List<String> names = meaningful(o);
    String name = names.get(random.nextInt(names.size()));
    JsonNode old = o.get(name);
    JsonNodeFactory f = JsonNodeFactory.instance;
    List<JsonNode> others = new ArrayList<>();
    if (!old.isTextual()) {
      others.add(f.textNode(old.asText()));
      others.add(f.textNode("abc"));
    }
    if (!old.isNumber()) {
      others.add(f.numberNode(42));
      others.add(f.numberNode(1.5));
    }
    if (!old.isBoolean()) {
      others.add(f.booleanNode(true));
    }
    others.add(f.arrayNode().add(old));
    others.add(f.objectNode().set("value", old));
    o.set(name, others.get(random.nextInt(others.size())));
    return write(o);
  }

  private static final List<String> HUGE =
      List.of(
          "1e400",
          "-1e400",
          "123456789012345678901234567890",
          "9223372036854775808",
          "2147483648",
          "-99999999999999999999",
          "1" + "0".repeat(99)); // longer than the parser takes: malformed

  /** An integer field of the record (if it has none: event_time) set to a huge number. */
  private Item huge(String key, String json) {
    ObjectNode o = object(json);
    List<String> numeric = meaningful(o).stream().filter(n -> o.get(n).isIntegralNumber()).toList();
    String name = numeric.isEmpty() ? "event_time" : numeric.get(random.nextInt(numeric.size()));
    String number = HUGE.get(random.nextInt(HUGE.size()));
    o.put(name, "@@HUGE@@");
    String text = write(o).replace("\"@@HUGE@@\"", number);
    return number.length() > 64
        ? item(Kind.HUGE_NUMBER, key, utf8(text), MALFORMED)
        : item(Kind.HUGE_NUMBER, key, utf8(text), INVALID);
  }

  private static final byte[][] BAD_UTF8 = {
    {(byte) 0xFF},
    {(byte) 0xC0, (byte) 0xAF}, // overlong '/'
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // an encoded surrogate
    {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
    {(byte) 0x80}, // a lone continuation byte
    {(byte) 0xE4, (byte) 0xB8}, // a character cut short
  };

  /** Bad UTF-8 bytes put into the record at a random place. */
  private byte[] invalidUtf8(String json) {
    byte[] b = utf8(json);
    byte[] bad = BAD_UTF8[random.nextInt(BAD_UTF8.length)];
    int at = 1 + random.nextInt(b.length - 1);
    byte[] out = new byte[b.length + bad.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(bad, 0, out, at, bad.length);
    System.arraycopy(b, at, out, at + bad.length, b.length - at);
    return out;
  }

  /** 1,000 levels of arrays, of objects, or of an unknown field inside a valid event. */
  private static String deep(String json, int n) {
    return switch (n % 3) {
      case 0 -> "[".repeat(NESTING) + "]".repeat(NESTING);
      case 1 -> "{\"a\":".repeat(NESTING) + "1" + "}".repeat(NESTING);
      default ->
          json.substring(0, json.length() - 1)
              + ",\"x_deep\":"
              + "[".repeat(NESTING)
              + "]".repeat(NESTING)
              + "}";
    };
  }

  private static String notAnObject(String json, int n) {
    return switch (n % 9) {
      case 0 -> "[]";
      case 1 -> "\"" + "an event" + "\"";
      case 2 -> "42";
      case 3 -> "null";
      case 4 -> "true";
      case 5 -> "[" + json + "]";
      case 6 -> "   \n ";
      case 7 -> json + json; // two objects
      default -> json + " x"; // trailing data
    };
  }

  private String missing(String json, int n) {
    ObjectNode o = object(json);
    String name = n % 2 == 0 ? "event_id" : "event_time";
    if (random.nextBoolean()) {
      o.remove(name);
    } else {
      o.putNull(name);
    }
    return write(o);
  }

  private static final List<String> BAD_TIMES =
      List.of(
          "2026-13-01T00:00:00+08:00",
          "2026-02-30T00:00:00Z",
          "2026-06-30 09:30:00+08:00",
          "2026-06-30T09:30:00",
          "2026-06-30T09:30:00+08",
          "2026-06-30",
          "1969-12-31T23:59:59Z",
          "2100-01-01T00:00:00Z",
          "yesterday",
          "");

  private String invalidValue(String json, int n) {
    return switch (n % 4) {
      case 0 -> with(json, "event_id", "");
      case 1 -> with(json, "event_id", "e".repeat(129));
      default -> with(json, "event_time", BAD_TIMES.get(random.nextInt(BAD_TIMES.size())));
    };
  }

  /** Fields no version of the contract has, one of them nested, added before the closing brace. */
  private static String withUnknownFields(String json) {
    return json.substring(0, json.length() - 1)
        + ",\"x_unknown\":{\"nested\":[1,2,{\"deep\":true}]},\"x_note\":\"ignored 忽略\"}";
  }

  /** The record with an unknown string field making it exactly {@code bytes} long. */
  private static String padTo(String json, int bytes) {
    String head = json.substring(0, json.length() - 1) + ",\"x_padding\":\"";
    int pad = bytes - utf8(head).length - 2;
    if (pad < 0) {
      throw new IllegalArgumentException("record of " + json.length() + " is over " + bytes);
    }
    return head + "p".repeat(pad) + "\"}";
  }

  private static String with(String json, String field, String text) {
    ObjectNode o = object(json);
    o.put(field, text);
    return write(o);
  }

  /**
   * The record's fields but those the contract gives no meaning on it, which are unknown fields
   * there and ignored whatever their value (CONTRACT §1: {@code workers_registered} and {@code
   * jobs_matched} belong to gig markets; the market test sends them on a morning market too).
   * Mutating those would make no invalid record.
   */
  private static List<String> meaningful(ObjectNode o) {
    JsonNode marketType = o.get("market_type");
    boolean gigFieldsIgnored =
        marketType != null && marketType.isTextual() && !marketType.asText().equals("gig");
    return fieldNames(o).stream()
        .filter(
            n ->
                !(gigFieldsIgnored && (n.equals("workers_registered") || n.equals("jobs_matched"))))
        .toList();
  }

  // ---- JSON helpers ----

  /** The event_time of a valid record. */
  private static Instant eventTime(byte[] validRecord) {
    String json = new String(validRecord, StandardCharsets.UTF_8);
    return OffsetDateTime.parse(object(json).get("event_time").asText()).toInstant();
  }

  private static ObjectNode object(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("a scenario's valid record is no JSON: " + json, e);
    }
  }

  private static List<String> fieldNames(ObjectNode o) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  private static String write(ObjectNode o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean parsesAsObject(byte[] b) {
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(b))
              .toString();
      JsonNode node = JSON.readTree(text);
      return node != null && node.isObject();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
