package cn.xingan.kpi.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.Set;

/**
 * One text node per distinct value of the fields whose values repeat from event to event (codes,
 * names, statuses), so the decoder hands out the same string each time a county or a service comes
 * again. A string's hash is computed once and then kept in it: the day slices hash a service
 * event's county, department, service and channel for their map of scopes, and with a new string
 * per event that hashing was 8% of a backfill's CPU (JFR). It also saves two objects per value.
 *
 * <p>A direct-mapped table: a value that lands on a taken slot replaces what was there. Slots are
 * written without a lock; a node is immutable, so a racing reader sees a whole node or misses.
 */
final class RepeatedValues {
  /** The names of the fields whose values repeat, across the three streams. */
  static final Set<String> FIELDS =
      Set.of(
          "stream",
          "service_code",
          "service_name",
          "department",
          "county",
          "status",
          "channel",
          "market_id",
          "market_name",
          "market_type",
          "project_id",
          "type");

  private static final int SLOTS = 4096; // a power of two; the League has a few hundred codes
  private static final int MAX_CHARS = 64;

  private final JsonNode[] slots = new JsonNode[SLOTS];

  /** For {@link PlainRecord}: kept nodes and names by their UTF-8 bytes, each its own table. */
  private final ByBytes<JsonNode> nodes = new ByBytes<>();

  private final ByBytes<String> names = new ByBytes<>();

  /** The name last read at each position of a record, with its bytes. */
  @SuppressWarnings("unchecked")
  private final Entry<String>[] byPosition = new Entry[32];

  /**
   * The node of the parser's current string value: a kept one when the field's values repeat and
   * the same text was seen, else a new one.
   */
  JsonNode text(String field, JsonParser p) throws IOException {
    if (!FIELDS.contains(field)) {
      return RecordNodes.INSTANCE.textNode(p.getText());
    }
    char[] chars = p.getTextCharacters();
    int offset = p.getTextOffset();
    int length = p.getTextLength();
    if (length > MAX_CHARS) {
      return RecordNodes.INSTANCE.textNode(new String(chars, offset, length));
    }
    int hash = 0;
    for (int i = offset, end = offset + length; i < end; i++) {
      hash = 31 * hash + chars[i];
    }
    int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
    JsonNode kept = slots[slot];
    if (kept != null && same(kept.textValue(), chars, offset, length)) {
      return kept;
    }
    JsonNode node = RecordNodes.INSTANCE.textNode(new String(chars, offset, length));
    slots[slot] = node;
    return node;
  }

  private static boolean same(String s, char[] chars, int offset, int length) {
    if (s.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (s.charAt(i) != chars[offset + i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The node of a string value given as valid UTF-8 bytes (for {@link PlainRecord}): kept when the
   * field's values repeat.
   */
  JsonNode text(String field, byte[] b, int start, int end) {
    if (end - start > MAX_CHARS || !FIELDS.contains(field)) {
      return RecordNodes.INSTANCE.textNode(PlainRecord.string(b, start, end));
    }
    int slot = ByBytes.slot(b, start, end);
    Entry<JsonNode> kept = nodes.entry(slot, b, start, end);
    if (kept == null) {
      kept =
          nodes.put(
              slot,
              b,
              start,
              end,
              RecordNodes.INSTANCE.textNode(PlainRecord.string(b, start, end)));
    }
    return kept.value;
  }

  /**
   * A field name given as valid UTF-8 bytes, the {@code position}-th of its record, interned as
   * Jackson's parser interns names (so {@link Fields#get} finds it by identity).
   */
  String name(int position, byte[] b, int start, int end) {
    // events of a stream list their fields in one order: most names are the previous record's at
    // the same position, found without hashing
    if (position < byPosition.length) {
      Entry<String> e = byPosition[position];
      if (e != null && e.holds(b, start, end)) {
        return e.value;
      }
    }
    int slot = ByBytes.slot(b, start, end);
    Entry<String> kept = names.entry(slot, b, start, end);
    if (kept == null) {
      kept = names.put(slot, b, start, end, PlainRecord.string(b, start, end).intern());
    }
    if (position < byPosition.length) {
      byPosition[position] = kept; // the table's entry: nothing copied
    }
    return kept.value;
  }

  /** A value and the bytes it was read from, immutable so that a racing reader sees it whole. */
  private record Entry<V>(byte[] key, V value) {
    boolean holds(byte[] b, int start, int end) {
      return Arrays.equals(key, 0, key.length, b, start, end);
    }
  }

  /**
   * A direct-mapped table of values by the bytes they were read from; a slot holds one immutable
   * entry, so a racing reader sees a whole entry or another.
   */
  private static final class ByBytes<V> {
    @SuppressWarnings("unchecked")
    private final Entry<V>[] slots = new Entry[SLOTS];

    static int slot(byte[] b, int start, int end) {
      int hash = 0;
      for (int i = start; i < end; i++) {
        hash = 31 * hash + b[i];
      }
      return (hash ^ (hash >>> 16)) & (SLOTS - 1);
    }

    Entry<V> entry(int slot, byte[] b, int start, int end) {
      Entry<V> e = slots[slot];
      return e != null && e.holds(b, start, end) ? e : null;
    }

    Entry<V> put(int slot, byte[] b, int start, int end, V value) {
      Entry<V> e = new Entry<>(Arrays.copyOfRange(b, start, end), value);
      slots[slot] = e;
      return e;
    }
  }
}
