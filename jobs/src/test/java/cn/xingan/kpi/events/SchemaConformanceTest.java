package cn.xingan.kpi.events;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.app.Pipelines;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JSON Schemas in {@code schemas/} are the machine-readable contract; the job validates with
 * its own typed decoder (a schema validator per event would cost many times a Jackson parse). This
 * runs one corpus through both and requires them to agree on valid/invalid: the example lines, and
 * every example mutated field by field (removed, null, of the wrong type). Rules a schema cannot
 * express (listed in schemas/README.md) have their own file and must be rejected by the decoder
 * alone.
 */
class SchemaConformanceTest {
  private static final Path SCHEMAS = Path.of("..", "schemas").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final EventDecoder DECODER = new EventDecoder(-1, 1 << 20);

  private static JsonSchema backfillSchema() {
    JsonSchemaFactory factory =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            b ->
                b.schemaMappers(
                    m ->
                        m.mapPrefix(
                            "https://kpi.xingan.example/schemas/", SCHEMAS.toUri().toString())));
    return factory.getSchema(
        SchemaLocation.of("https://kpi.xingan.example/schemas/backfill-line.schema.json"));
  }

  private static List<ObjectNode> lines(String file) throws Exception {
    List<ObjectNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(SCHEMAS.resolve("examples").resolve(file))) {
      if (!line.isBlank()) {
        ObjectNode node = (ObjectNode) JSON.readTree(line);
        node.remove("_expect");
        node.remove("_why");
        out.add(node);
      }
    }
    return out;
  }

  /** Lines of the streams this version decodes; the others are rejected as unknown_stream. */
  private static boolean processed(JsonNode line) {
    EventStream s = EventStream.byTopic(line.path("stream").asText());
    return s == null || Pipelines.STREAMS.contains(s);
  }

  private static boolean decoderAccepts(JsonNode line) throws Exception {
    byte[] bytes = JSON.writeValueAsBytes(line);
    return !DECODER.decode(null, new Origin("corpus", 0, 0, bytes), 0).isRejected();
  }

  /** Each valid example with one field removed, nulled, or given a value of another type. */
  private static List<ObjectNode> mutations(List<ObjectNode> valid) {
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode line : valid) {
      for (Iterator<String> names = line.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        ObjectNode removed = line.deepCopy();
        removed.remove(name);
        out.add(removed);
        ObjectNode nulled = line.deepCopy();
        nulled.putNull(name);
        out.add(nulled);
        ObjectNode retyped = line.deepCopy();
        if (line.get(name).isTextual()) {
          retyped.put(name, 42);
        } else {
          retyped.put(name, "42");
        }
        out.add(retyped);
      }
    }
    return out;
  }

  @Test
  void schemaAndDecoderAgreeOnTheCorpus() throws Exception {
    JsonSchema schema = backfillSchema();
    List<ObjectNode> valid = lines("valid.jsonl");
    List<ObjectNode> corpus = new ArrayList<>(valid);
    corpus.addAll(lines("invalid.jsonl"));
    corpus.addAll(mutations(valid));
    List<String> disagreements = new ArrayList<>();
    int checked = 0;
    int invalid = 0;
    for (ObjectNode line : corpus) {
      if (!processed(line)) {
        continue;
      }
      checked++;
      boolean bySchema = schema.validate(line).isEmpty();
      boolean byDecoder = decoderAccepts(line);
      invalid += bySchema ? 0 : 1;
      if (bySchema != byDecoder) {
        disagreements.add(
            (bySchema ? "schema accepts, decoder rejects: " : "schema rejects, decoder accepts: ")
                + line);
      }
    }
    assertThat(disagreements).isEmpty();
    assertThat(checked).isGreaterThanOrEqualTo(60);
    assertThat(invalid).isGreaterThanOrEqualTo(30);
  }

  @Test
  void rulesBeyondTheSchemaAreTheDecodersAlone() throws Exception {
    JsonSchema schema = backfillSchema();
    for (ObjectNode line : lines("decoder-only-invalid.jsonl")) {
      if (!processed(line)) {
        continue;
      }
      assertThat(schema.validate(line)).as("schema accepts %s", line).isEmpty();
      assertThat(decoderAccepts(line)).as("decoder rejects %s", line).isFalse();
    }
  }

  @Test
  void everyExampleIsValidUtf8Json() throws Exception {
    for (String f : List.of("valid.jsonl", "invalid.jsonl", "decoder-only-invalid.jsonl")) {
      byte[] bytes = Files.readAllBytes(SCHEMAS.resolve("examples").resolve(f));
      assertThat(new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8))
          .isEqualTo(bytes);
    }
  }
}
