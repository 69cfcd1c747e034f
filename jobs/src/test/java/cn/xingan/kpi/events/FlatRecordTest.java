package cn.xingan.kpi.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The decoder's fast path against Jackson's tree as the oracle, on the schema examples, records
 * written here for the edges, and thousands of damaged copies of them: whenever {@link FlatRecord}
 * takes a record, the tree reads the same object (same names, equal nodes: an {@code IntNode} is
 * not a {@code LongNode}); and every record the tree reads as a flat object of strings, whole
 * numbers, booleans and nulls without repeated names, the fast path takes. The plain path before it
 * ({@link PlainRecord}, no parser) takes fewer records, and whenever it does, the tree reads the
 * same object too.
 */
class FlatRecordTest {
  private static final ObjectReader READER = new EventDecoder(-1, 1 << 20).reader();

  private static final List<String> EDGES =
      List.of(
          "{}",
          " {\"a\":1} ",
          "{\"a\":1}\n",
          "{\"a\":\"x\\u00e9\\n\\\"\",\"b\":-0,\"c\":2147483648,\"d\":-9223372036854775809}",
          "{\"a\":true,\"b\":false,\"c\":null,\"d\":\"\"}",
          // whole numbers at the int and long edges without an escape: the plain path reads them
          "{\"a\":-0,\"b\":2147483647,\"c\":2147483648,\"d\":-2147483648,\"e\":-2147483649}",
          "{\"a\":999999999999999999,\"b\":-999999999999999999,\"c\":0}",
          "{\"a\":1234567890123456789,\"b\":-9223372036854775808}",
          "{\"a\":-}",
          "{\"a\":truex}",
          "{\"a\":1 \"b\":2}",
          "{\"a\":\"x\"\t,\r\n\"b\" : nul}",
          "{\"a\":1,\"a\":2}",
          "{\"a\":1,\"b\":{\"c\":2}}",
          "{\"a\":[1,2]}",
          "{\"a\":5.0}",
          "{\"a\":1e3}",
          "{\"a\":1} {\"b\":2}",
          "{\"a\":1}]",
          "[{\"a\":1}]",
          "\"text\"",
          "5",
          "null",
          "",
          "   ",
          "{\"a\":1,}",
          "{\"a\":01}",
          "{\"a\":NaN}",
          "{'a':1}",
          "{\"\u4e8c\u8fde\u6d69\u7279\":\"\u4e4c\u5170\u6d69\u7279\"}",
          "{\"a\":\"\ud83d\ude00\"}",
          // values of a field whose values repeat: "Aa" and "BB" have the same String hash
          "{\"county\":\"Aa\",\"status\":\"BB\"}",
          "{\"county\":\"BB\",\"status\":\"Aa\"}",
          "{\"county\":\"x\\u00e9\",\"status\":\"x\u00e9\"}",
          "{\"county\":\"" + "long-".repeat(20) + "\",\"type\":\"\"}");

  @Test
  void takesExactlyTheFlatObjectsTheTreeReadsAndHoldsTheSameNodes() throws IOException {
    List<byte[]> records = new ArrayList<>();
    for (String file : List.of("valid.jsonl", "invalid.jsonl", "decoder-only-invalid.jsonl")) {
      for (String line : Files.readAllLines(Path.of("..", "schemas", "examples", file))) {
        if (!line.isBlank()) {
          records.add(line.getBytes(StandardCharsets.UTF_8));
        }
      }
    }
    for (String edge : EDGES) {
      records.add(edge.getBytes(StandardCharsets.UTF_8));
    }
    Random random = new Random(20261207);
    byte[] damage = "\"{}[],:.\\ 1-e".getBytes(StandardCharsets.US_ASCII);
    int bases = records.size();
    for (int b = 0; b < bases; b++) {
      byte[] base = records.get(b);
      for (int k = 0; k < 200 && base.length > 0; k++) {
        byte[] copy = base.clone();
        int at = random.nextInt(copy.length);
        switch (k % 3) {
          case 0 -> copy[at] = damage[random.nextInt(damage.length)];
          case 1 -> copy = java.util.Arrays.copyOf(copy, at);
          default -> {
            byte[] longer = new byte[copy.length + 1];
            System.arraycopy(copy, 0, longer, 0, at);
            longer[at] = damage[random.nextInt(damage.length)];
            System.arraycopy(copy, at, longer, at + 1, copy.length - at);
            copy = longer;
          }
        }
        records.add(copy);
      }
    }

    RepeatedValues repeated = new RepeatedValues(); // shared, as by one decoder's records
    int taken = 0;
    int plainTaken = 0;
    int flatByTree = 0;
    for (byte[] record : records) {
      String shown = new String(record, StandardCharsets.UTF_8);
      Fields fast = FlatRecord.read(READER, repeated, record, 0, record.length);
      JsonNode tree = tree(record);
      boolean flat = tree != null && isFlat(tree);
      if (flat) {
        flatByTree++;
      }
      assertThat(fast != null).as("taken by the fast path: %s", shown).isEqualTo(flat);
      // the plain path (before the fast path) reads valid UTF-8 only, as the decoder gives it
      Fields plain =
          FastIso.firstInvalidUtf8(record, 0) < 0
              ? PlainRecord.read(repeated, record, 0, record.length)
              : null;
      if (plain != null) {
        plainTaken++;
        assertThat(flat).as("taken by the plain path, not flat for the tree: %s", shown).isTrue();
        assertSameFields(plain, tree, shown);
      }
      if (fast != null) {
        taken++;
        assertThat(fast.size()).as(shown).isEqualTo(tree.size());
        for (Map.Entry<String, JsonNode> e : tree.properties()) {
          assertThat(fast.get(e.getKey()))
              .as("%s in %s", e.getKey(), shown)
              .isEqualTo(e.getValue());
          assertThat(fast.get(new String(e.getKey()))).as(shown).isEqualTo(e.getValue());
        }
        assertThat(fast.get("no such field")).isNull();
      }
    }
    // both outcomes are exercised: most damaged copies are not flat objects, the bases mostly are
    assertThat(taken).isGreaterThan(bases / 2).isLessThan(records.size() - bases);
    assertThat(flatByTree).isEqualTo(taken);
    assertThat(plainTaken).isGreaterThan(bases / 2).isLessThan(taken);
  }

  /** Every example event without an escape in it takes the plain path, the one events take. */
  @Test
  void thePlainPathTakesEveryFlatExampleWithoutEscapes() throws IOException {
    RepeatedValues repeated = new RepeatedValues();
    int examples = 0;
    for (String line : Files.readAllLines(Path.of("..", "schemas", "examples", "valid.jsonl"))) {
      byte[] record = line.getBytes(StandardCharsets.UTF_8);
      JsonNode tree = tree(record);
      if (line.isBlank() || line.contains("\\") || !isFlat(tree)) {
        continue;
      }
      examples++;
      Fields plain = PlainRecord.read(repeated, record, 0, record.length);
      assertThat(plain).as(line).isNotNull();
      assertSameFields(plain, tree, line);
      // again, now from the kept names and values
      assertSameFields(PlainRecord.read(repeated, record, 0, record.length), tree, line);
    }
    assertThat(examples).isGreaterThanOrEqualTo(5);
  }

  private static void assertSameFields(Fields fields, JsonNode tree, String shown) {
    assertThat(fields.size()).as(shown).isEqualTo(tree.size());
    for (Map.Entry<String, JsonNode> e : tree.properties()) {
      assertThat(fields.get(e.getKey())).as("%s in %s", e.getKey(), shown).isEqualTo(e.getValue());
      assertThat(fields.get(new String(e.getKey()))).as(shown).isEqualTo(e.getValue());
    }
    assertThat(fields.get("no such field")).isNull();
  }

  @Test
  void aRepeatedValueIsTheSameNodeAndAnotherValueNever() throws IOException {
    RepeatedValues repeated = new RepeatedValues();
    List<JsonNode> counties = new ArrayList<>();
    List<JsonNode> ids = new ArrayList<>();
    for (String county : List.of("Aa", "BB", "Aa", "BB", "horqin-right-front", "Aa")) {
      byte[] record =
          ("{\"event_id\":\"e-1\",\"county\":\"" + county + "\"}").getBytes(StandardCharsets.UTF_8);
      Fields fields = FlatRecord.read(READER, repeated, record, 0, record.length);
      assertThat(fields.get("county").textValue()).isEqualTo(county);
      counties.add(fields.get("county"));
      ids.add(fields.get("event_id"));
    }
    // "Aa" and "BB" have one hash, so one slot: each replaced the other, and is read anew
    assertThat(counties.get(2)).isNotSameAs(counties.get(0)).isEqualTo(counties.get(0));
    assertThat(counties.get(3)).isNotSameAs(counties.get(1)).isEqualTo(counties.get(1));
    // an id is not kept: its values do not repeat
    assertThat(ids.get(1)).isNotSameAs(ids.get(0)).isEqualTo(ids.get(0));

    byte[] one = "{\"county\":\"ar-horqin\"}".getBytes(StandardCharsets.UTF_8);
    JsonNode first = FlatRecord.read(READER, repeated, one, 0, one.length).get("county");
    JsonNode again = FlatRecord.read(READER, repeated, one, 0, one.length).get("county");
    assertThat(again).isSameAs(first);
  }

  @Test
  void thePlainPathKeepsOneNodePerRepeatedValue() {
    RepeatedValues repeated = new RepeatedValues();
    List<Fields> read = new ArrayList<>();
    for (String county :
        List.of("ar-horqin", "\u4e4c\u5170\u6d69\u7279", "ar-horqin", "\u4e4c\u5170\u6d69\u7279")) {
      byte[] record =
          ("{\"event_id\":\"e-1\",\"county\":\"" + county + "\"}").getBytes(StandardCharsets.UTF_8);
      Fields fields = PlainRecord.read(repeated, record, 0, record.length);
      assertThat(fields.get("county").textValue()).isEqualTo(county);
      read.add(fields);
    }
    assertThat(read.get(2).get("county")).isSameAs(read.get(0).get("county"));
    assertThat(read.get(3).get("county")).isSameAs(read.get(1).get("county"));
    assertThat(read.get(1).get("county")).isNotEqualTo(read.get(0).get("county"));
    assertThat(read.get(1).get("event_id")).isNotSameAs(read.get(0).get("event_id"));
  }

  /** The tree of a record, or {@code null} when Jackson rejects it. */
  private static JsonNode tree(byte[] record) {
    try {
      return READER.readTree(record, 0, record.length);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** An object whose values are strings, whole numbers, booleans or nulls. */
  private static boolean isFlat(JsonNode tree) {
    if (!tree.isObject()) {
      return false;
    }
    for (Map.Entry<String, JsonNode> e : tree.properties()) {
      JsonNode v = e.getValue();
      if (!(v.isTextual() || v.isIntegralNumber() || v.isBoolean() || v.isNull())) {
        return false;
      }
    }
    return true;
  }
}
