package cn.xingan.kpi.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;

/**
 * The decoder's fast path: a record that is one JSON object of strings, whole numbers, booleans and
 * nulls (every service and market event) is read token by token into {@link Fields}, without
 * building Jackson's tree — whose map of nodes cost a fifth of a backfill's decoding (JFR). Every
 * other record (a nested value, a decimal, a repeated name, a syntax error, trailing tokens, a root
 * that is not an object) is left to the tree parse, so what is accepted and every rejection's
 * message stay exactly the tree's. The values are the nodes the tree would hold (same factory, same
 * number types).
 */
final class FlatRecord {
  /** More fields than any event has: a record with more goes to the tree. */
  private static final int MAX_FIELDS = 32;

  private FlatRecord() {}

  /** The record's fields, or {@code null} when the record is for the tree parse to read. */
  static Fields read(
      ObjectReader reader, RepeatedValues repeated, byte[] bytes, int offset, int length) {
    try (JsonParser p = reader.createParser(bytes, offset, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String[] names = new String[MAX_FIELDS];
      JsonNode[] values = new JsonNode[MAX_FIELDS];
      int size = 0;
      String name;
      while ((name = p.nextFieldName()) != null) {
        if (size == MAX_FIELDS || repeats(names, size, name)) {
          return null;
        }
        JsonNode value = value(p, p.nextToken(), name, repeated);
        if (value == null) {
          return null;
        }
        names[size] = name;
        values[size++] = value;
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        return null;
      }
      return new Fields(names, values, size);
    } catch (IOException | RuntimeException e) {
      return null; // the tree parse fails too, and says why
    }
  }

  /** Whether a name came before; names' hash codes are cached, so most checks are an int's. */
  private static boolean repeats(String[] names, int size, String name) {
    int hash = name.hashCode();
    for (int i = 0; i < size; i++) {
      if (names[i].hashCode() == hash && names[i].equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** The node the tree holds for a scalar (see Jackson's {@code BaseNodeDeserializer}). */
  private static JsonNode value(JsonParser p, JsonToken token, String name, RepeatedValues repeated)
      throws IOException {
    RecordNodes nodes = RecordNodes.INSTANCE;
    return switch (token) {
      case VALUE_STRING -> repeated.text(name, p);
      case VALUE_NUMBER_INT ->
          switch (p.getNumberType()) {
            case INT -> nodes.numberNode(p.getIntValue());
            case LONG -> nodes.numberNode(p.getLongValue());
            default -> nodes.numberNode(p.getBigIntegerValue());
          };
      case VALUE_TRUE -> nodes.booleanNode(true);
      case VALUE_FALSE -> nodes.booleanNode(false);
      case VALUE_NULL -> nodes.nullNode();
      default -> null; // objects, arrays, decimals: the tree's
    };
  }
}
