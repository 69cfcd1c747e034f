package cn.xingan.kpi.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
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
}
