// Issue 5: the Kafka broker goes down in the middle of a run for a few seconds and comes back
// (same port, same data). The sources reconnect and go on from their positions — or, if a task
// fails meanwhile, the job restarts from its last checkpoint with the job's own restart strategy —
// the final rows are the oracle's, and the malformed records among the events reach both
// rejected_events and the dead-letter topic (at least once) although its broker went away.
package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.local.EmbeddedKafka;
import cn.xingan.kpi.local.LocalMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaRestartITCase {
  private static final Duration DOWN = Duration.ofSeconds(5);

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final ClickHouseExtension CLICKHOUSE = new ClickHouseExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FaultHarness.miniCluster();

  @Test
  void aBrokerRestartMidRunLosesAndDoublesNothing() throws Exception {
    assumeTrue(KAFKA.isEmbedded(), "needs the embedded broker (not KAFKA_BOOTSTRAP) to restart it");
    long t0 = System.nanoTime();
    FaultHarness h = new FaultHarness(KAFKA, CLICKHOUSE, FaultHarness.standardScenarios());
    // Each stream's valid events with a malformed record after every 25th.
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    List<Integer> malformed = new ArrayList<>();
    for (StreamScenario scenario : h.scenarios()) {
      String topic = scenario.stream().topic();
      List<Map.Entry<String, String>> valid = scenario.records();
      for (int i = 0; i < valid.size(); i++) {
        Map.Entry<String, String> v = valid.get(i);
        records.add(KafkaTestClient.record(topic, v.getKey(), v.getValue()));
        if (i % 25 == 24) {
          malformed.add(records.size());
          records.add(KafkaTestClient.record(topic, v.getKey(), "{\"event_id\":\"broken-" + i));
        }
      }
    }
    List<RecordMetadata> sent = h.produce(records);
    Set<String> expectedRejections = new HashSet<>();
    malformed.forEach(i -> expectedRejections.add(place(sent.get(i))));

    KpiOptions options = h.options().build();
    // ~510 records per subtask at 10 ms each: about 5 s of input.
    InputStage.Throttle.reset();
    JobClient job =
        h.start(
            FaultHarness.streamingConfig(),
            options,
            stream -> new InputStage.Throttle(10),
            "KafkaRestartITCase");
    awaitFirstRows(h, job);
    long before = InputStage.Throttle.passed();
    assertThat(before).as("records read before the fault").isLessThan(records.size());
    EmbeddedKafka broker = KAFKA.broker();
    long down = System.nanoTime();
    try {
      broker.stop();
      Thread.sleep(DOWN.toMillis());
    } finally {
      broker.restart(); // starts the stopped broker again
    }
    long downMs = FaultHarness.ms(down);
    FaultHarness.await(job, Duration.ofMinutes(3));

    h.assertFinalRowsMatchOracles("after a Kafka restart");
    Map<String, Long> repeats = h.assertEveryFinalRowWrittenMatchesOracles("after a Kafka restart");
    List<String> rejected = new ArrayList<>();
    for (Map<String, Object> r : h.rejections()) {
      assertThat(r.get("reason")).as("reason of %s", r).isEqualTo("malformed_json");
      rejected.add(r.get("source") + "/" + r.get("partition") + "/" + r.get("offset"));
    }
    assertThat(new HashSet<>(rejected))
        .as("rejected_events (source/partition/offset)")
        .isEqualTo(expectedRejections);
    assertThat(deadLetters(expectedRejections))
        .as("dead letters (source/partition/offset)")
        .isEqualTo(expectedRejections);
    System.err.printf(
        "[KafkaRestartITCase] broker down after %d of %d records for %d ms, job restarts %s,"
            + " repeated final rows %s, %d rejections for %d malformed records, %d ms%n",
        before,
        records.size(),
        downMs,
        LocalMetrics.gauge(job.getJobID(), "numRestarts"),
        repeats,
        rejected.size(),
        expectedRejections.size(),
        FaultHarness.ms(t0));
  }

  /** Where a record landed: topic/partition/offset. */
  private static String place(RecordMetadata m) {
    return m.topic() + "/" + m.partition() + "/" + m.offset();
  }

  /** The source/partition/offset headers of this run's records on the dead-letter topic. */
  private static Set<String> deadLetters(Set<String> ours) {
    Set<String> found = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r :
        KAFKA.consumeAll("kpi-rejected", Duration.ofSeconds(60))) {
      String at =
          header(r, "kpi.source")
              + "/"
              + header(r, "kpi.partition")
              + "/"
              + header(r, "kpi.offset");
      if (ours.contains(at)) {
        found.add(at);
      }
    }
    return found;
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Returns once the running job has written rows (so a fault hits it mid-run). */
  static void awaitFirstRows(FaultHarness h, JobClient job) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (h.rowCount("kpi_service", "") == 0) {
      assertThat(System.nanoTime()).as("first rows written within 60 s").isLessThan(deadline);
      assertThat(job.getJobStatus().get().isGloballyTerminalState())
          .as("job ended before writing a row")
          .isFalse();
      Thread.sleep(100);
    }
  }
}
