package cn.xingan.kpi.bench;

import cn.xingan.kpi.events.EventDecoder;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.events.Origin;
import cn.xingan.kpi.local.generate.GeneratedEvent;
import cn.xingan.kpi.local.generate.ServiceTransactionGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * Why the hot path decodes with typed Jackson code instead of a JSON Schema validator: the cost of
 * the job's decoder (parse + validate + typed record) against a bare Jackson tree parse and against
 * parse + networknt JSON Schema validation, on the same generated service events, in one run.
 */
public final class DecoderBenchmark {
  private DecoderBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path schemas = Path.of(args.length > 0 ? args[0] : "schemas").toAbsolutePath().normalize();
    List<GeneratedEvent> events =
        new ServiceTransactionGenerator(7, ZoneId.of("Asia/Shanghai"))
            .between(
                Instant.parse("2026-06-01T00:00:00Z"), Instant.parse("2026-06-08T00:00:00Z"), 600);
    ObjectMapper mapper = new ObjectMapper();
    EventDecoder decoder = new EventDecoder(-1, 1 << 20);
    JsonSchema schema =
        JsonSchemaFactory.getInstance(
                SpecVersion.VersionFlag.V202012,
                b ->
                    b.schemaMappers(
                        m ->
                            m.mapPrefix(
                                "https://kpi.xingan.example/schemas/", schemas.toUri().toString())))
            .getSchema(
                SchemaLocation.of(
                    "https://kpi.xingan.example/schemas/service-transactions.schema.json"));
    System.out.printf("%d service events, %d rounds each, best round counts%n", events.size(), 5);
    double parse =
        best(
            () -> {
              long sink = 0;
              for (GeneratedEvent e : events) {
                sink += mapper.readTree(e.json()).size();
              }
              return sink;
            });
    double decode =
        best(
            () -> {
              long sink = 0;
              for (GeneratedEvent e : events) {
                sink +=
                    decoder
                            .decode(
                                EventStream.SERVICE_TRANSACTIONS,
                                new Origin("bench", 0, 0, e.json()),
                                0)
                            .isRejected()
                        ? 1
                        : 0;
              }
              return sink;
            });
    double validate =
        best(
            () -> {
              long sink = 0;
              for (GeneratedEvent e : events) {
                JsonNode node = mapper.readTree(e.json());
                sink += schema.validate(node).size();
              }
              return sink;
            });
    System.out.printf("jackson parse only          %8.0f events/s%n", events.size() / parse);
    System.out.printf("job decoder (parse+rules)   %8.0f events/s%n", events.size() / decode);
    System.out.printf("parse + JSON Schema (networknt) %4.0f events/s%n", events.size() / validate);
    System.out.printf("ratio decoder / parse              %.2f x the time%n", decode / parse);
    System.out.printf("ratio schema validation / decoder  %.2f x the time%n", validate / decode);
  }

  interface Work {
    long run() throws Exception;
  }

  /** Seconds of the fastest of five rounds, after two warm-up rounds. */
  static double best(Work work) throws Exception {
    double best = Double.MAX_VALUE;
    long sink = 0;
    for (int round = 0; round < 7; round++) {
      long t0 = System.nanoTime();
      sink += work.run();
      double s = (System.nanoTime() - t0) / 1e9;
      if (round >= 2) {
        best = Math.min(best, s);
      }
    }
    if (sink == Long.MIN_VALUE) {
      System.out.println(sink);
    }
    return best;
  }
}
