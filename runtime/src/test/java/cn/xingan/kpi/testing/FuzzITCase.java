// Issue 5, "nothing crashes": ten thousand hostile records — random bytes, truncated JSON, wrong
// types, huge numbers, 1,000-deep nesting, a 10 MiB record, invalid UTF-8, unknown fields,
// repeats of valid events — mixed into valid traffic. The job must keep running; every fuzzed
// record must be in rejected_events and on the dead-letter topic, or counted as a duplicate; and
// the valid events must give exactly the oracle's rows.
package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.local.LocalMetrics;
import cn.xingan.kpi.testing.Fuzzer.Item;
import cn.xingan.kpi.testing.Fuzzer.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FuzzITCase {
  private static final int FUZZED = 10_000;
  private static final long SEED = 5L;
  private static final int RAW_LIMIT = 64 * 1024;

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final ClickHouseExtension CLICKHOUSE = new ClickHouseExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FaultHarness.miniCluster();

  /** Where a record landed. */
  private record At(String topic, int partition, long offset) {}

  @Test
  void fuzzedRecordsAreRejectedOrCountedAsDuplicatesAndValidEventsCountOnce() throws Exception {
    long t0 = System.nanoTime();
    FaultHarness h = new FaultHarness(KAFKA, CLICKHOUSE, FaultHarness.standardScenarios());
    // The broker takes 1 MiB records by default; the topics are raised to 16 MiB for the 10 MiB
    // records.
    h.allowLargeRecords();
    KpiOptions options = h.options().build();
    // The fuzzed records are shared out over the streams, each mixed into its valid traffic.
    List<Item> items = new ArrayList<>();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (StreamScenario scenario : h.scenarios()) {
      String topic = scenario.stream().topic();
      for (Item i :
          Fuzzer.mix(
              scenario.records(),
              FUZZED / h.scenarios().size(),
              options.maxRecordBytes(),
              SEED + items.size())) {
        items.add(i);
        records.add(new ProducerRecord<>(topic, Fuzzer.utf8(i.key()), i.value()));
      }
    }
    List<RecordMetadata> sent = h.produce(records);
    Map<At, Item> byPlace = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      RecordMetadata m = sent.get(i);
      byPlace.put(new At(m.topic(), m.partition(), m.offset()), items.get(i));
    }
    Map<Kind, Long> kinds =
        items.stream()
            .collect(Collectors.groupingBy(Item::kind, TreeMap::new, Collectors.counting()));
    long fuzzed = items.stream().filter(i -> i.kind() != Kind.VALID).count();
    assertThat(fuzzed).as("fuzzed records").isEqualTo(FUZZED - FUZZED % h.scenarios().size());
    long produced = System.nanoTime();

    Configuration conf = FaultHarness.streamingConfig();
    // The job must not fail on any record: without restarts, a failure fails the run.
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    JobClient job = h.start(conf, options, s -> new InputStage.Throttle(0), "FuzzITCase");
    FaultHarness.await(job, Duration.ofMinutes(3));
    long ran = System.nanoTime();

    assertRejectedEvents(h, byPlace);
    h.assertFinalRowsMatchOracles("valid events among fuzzed records");
    h.assertEveryFinalRowWrittenMatchesOracles("valid events among fuzzed records");
    assertThat(LocalMetrics.counterSum(job.getJobID(), "duplicates"))
        .as("the duplicates metric")
        .isEqualTo(kinds.get(Kind.DUPLICATE));
    long lossy = assertDeadLetters(byPlace);
    System.err.printf(
        "[FuzzITCase] %d records (%s); %d dead letters not byte-identical (invalid UTF-8);"
            + " produced in %d ms, job %d ms, total %d ms%n",
        items.size(),
        kinds,
        lossy,
        (produced - t0) / 1_000_000,
        (ran - produced) / 1_000_000,
        FaultHarness.ms(t0));
  }

  /** One row per rejected record, at its partition and offset, with an expected reason and raw. */
  private static void assertRejectedEvents(FaultHarness h, Map<At, Item> byPlace) {
    Map<At, Item> expected = rejected(byPlace);
    Map<At, Map<String, Object>> rows = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (Map<String, Object> row : h.rejections()) {
      At at =
          new At(
              (String) row.get("source"),
              ((Number) row.get("partition")).intValue(),
              ((Number) row.get("offset")).longValue());
      if (rows.put(at, row) != null) {
        problems.add("a second row for " + at);
      }
      Item item = byPlace.get(at);
      if (item == null) {
        problems.add(at + ": a rejection of no record this test sent: " + row);
      } else if (!item.rejected()) {
        problems.add(
            at
                + ": a "
                + item.kind()
                + " record rejected: "
                + row.get("reason")
                + " "
                + row.get("detail"));
      } else if (!item.reasons().contains((String) row.get("reason"))) {
        problems.add(
            at
                + ": "
                + item.kind()
                + " rejected as "
                + row.get("reason")
                + " ("
                + row.get("detail")
                + "), expected one of "
                + item.reasons());
      } else if (!expectedRaw(item.value()).equals(row.get("raw"))) {
        problems.add(at + ": " + item.kind() + " raw differs from the record's first 64 KiB");
      }
    }
    expected.keySet().stream()
        .filter(at -> !rows.containsKey(at))
        .forEach(
            at ->
                problems.add(
                    at + ": " + expected.get(at).kind() + " record not in rejected_events"));
    assertThat(problems)
        .as(
            "rejected_events: %d problems over %d rejected records; first ones:%n%s",
            problems.size(),
            expected.size(),
            problems.stream().limit(25).collect(Collectors.joining("\n")))
        .isEmpty();
  }

  /**
   * The dead-letter topic holds each rejected record of this run once, with the reason, source,
   * partition and offset as headers and the same first 64 KiB as rejected_events.raw. Returns how
   * many of them are not byte for byte the record's first 64 KiB: the value is raw's UTF-8, so
   * bytes that were no UTF-8 arrive as U+FFFD.
   */
  private static long assertDeadLetters(Map<At, Item> byPlace) {
    Map<At, Item> expected = rejected(byPlace);
    Map<At, Integer> seen = new HashMap<>();
    List<String> problems = new ArrayList<>();
    long notOriginalBytes = 0;
    for (ConsumerRecord<byte[], byte[]> r :
        KAFKA.consumeAll("kpi-rejected", Duration.ofSeconds(60))) {
      Map<String, String> headers = new HashMap<>();
      for (Header header : r.headers()) {
        headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
      }
      if (!headers.containsKey("kpi.partition") || !headers.containsKey("kpi.offset")) {
        problems.add("a dead letter without kpi.partition or kpi.offset: " + headers);
        continue;
      }
      At at =
          new At(
              headers.get("kpi.source"),
              Integer.parseInt(headers.get("kpi.partition")),
              Long.parseLong(headers.get("kpi.offset")));
      Item item = byPlace.get(at);
      if (item == null) {
        continue; // another test's dead letter: the topic is shared by the JVM's test classes
      }
      seen.merge(at, 1, Integer::sum);
      byte[] prefix = Arrays.copyOf(item.value(), Math.min(item.value().length, RAW_LIMIT));
      if (!Arrays.equals(r.value(), prefix)) {
        notOriginalBytes++;
      }
      if (!item.rejected()) {
        problems.add(at + ": a " + item.kind() + " record on the dead-letter topic");
      } else if (!item.reasons().contains(headers.get("kpi.reason"))) {
        problems.add(
            at
                + ": kpi.reason "
                + headers.get("kpi.reason")
                + ", expected one of "
                + item.reasons());
      } else if (!Arrays.equals(r.value(), prefix)) {
        problems.add(at + ": " + item.kind() + " dead letter is not the record's first 64 KiB");
      }
    }
    expected.keySet().stream()
        .filter(at -> !seen.containsKey(at))
        .forEach(
            at ->
                problems.add(
                    at + ": " + expected.get(at).kind() + " not on the dead-letter topic"));
    seen.forEach(
        (at, n) -> {
          if (n > 1) {
            problems.add(at + ": " + n + " dead letters");
          }
        });
    assertThat(problems)
        .as(
            "kpi-rejected: %d problems over %d rejected records; first ones:%n%s",
            problems.size(),
            expected.size(),
            problems.stream().limit(25).collect(Collectors.joining("\n")))
        .isEmpty();
    return notOriginalBytes;
  }

  private static Map<At, Item> rejected(Map<At, Item> byPlace) {
    Map<At, Item> rejected = new HashMap<>();
    byPlace.forEach(
        (at, item) -> {
          if (item.rejected()) {
            rejected.put(at, item);
          }
        });
    return rejected;
  }

  /**
   * CONTRACT §3: raw is the first 64 KiB as a String. The records over 64 KiB here are ASCII at the
   * cut, so the cut splits no character; bytes that are no UTF-8 become U+FFFD.
   */
  private static String expectedRaw(byte[] value) {
    int n = Math.min(value.length, RAW_LIMIT);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(value, 0, n))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
