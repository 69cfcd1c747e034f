// CONTRACT §2: in a streaming run an event stamped more than max-future ahead of the wall clock is
// rejected as `future`, "so one bad clock cannot push the watermark ahead of everyone else". This
// shows both halves with the default max-future of one day: the future events are rejected, and
// the ordinary events sent after them are neither late nor counted in rows finalized early.
package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.testing.ServiceTransactions.Event;
import cn.xingan.kpi.testing.ServiceTransactions.Service;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On every partition: ordinary events of early October (before), then events stamped 30 days and 25
 * hours ahead of now (future), then more October events (after, some older than the latest "before"
 * one), then one stamped 12 hours ahead (within max-future: it counts). Had a future event moved
 * the watermark, every "after" event would be late — its week ended more than the 7-day lateness
 * before — and October's rows would have been written final without them.
 */
class FutureEventITCase {
  private static final DateTimeFormatter TEXT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final ClickHouseExtension CLICKHOUSE = new ClickHouseExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FaultHarness.miniCluster();

  private final Random random = new Random(11);
  private int next;

  @Test
  void futureEventsAreRejectedAndDoNotMoveTheWatermark() throws Exception {
    long t0 = System.nanoTime();
    Instant now = Instant.now();
    // Monday 10:00 in Shanghai eight weeks ago: its week ended long before now minus the lateness.
    ZoneId zone = ServiceKpiOracle.ZONE;
    Instant base =
        LocalDate.now(zone)
            .minusWeeks(8)
            .with(DayOfWeek.MONDAY)
            .atTime(10, 0)
            .atZone(zone)
            .toInstant();

    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    List<Event> counted = new ArrayList<>();
    List<String> future = new ArrayList<>();
    String topic = ServiceTransactions.TOPIC;
    for (int p = 0; p < FaultHarness.PARALLELISM; p++) {
      // Before: 20 events over two days, in order.
      for (int i = 0; i < 20; i++) {
        counted.add(send(records, topic, p, event(base.plus(Duration.ofMinutes(150L * i)))));
      }
      // The bad clocks: a month ahead, and one hour past the one-day limit.
      future.add(send(records, topic, p, event(now.plus(Duration.ofDays(30)))).eventId());
      future.add(send(records, topic, p, event(now.plus(Duration.ofHours(25)))).eventId());
      // After: 20 more, starting 30 minutes before the last "before" one (within the 1 h bound).
      Instant after = base.plus(Duration.ofMinutes(150L * 19 - 30));
      for (int i = 0; i < 20; i++) {
        counted.add(send(records, topic, p, event(after.plus(Duration.ofMinutes(40L * i)))));
      }
    }
    // Within max-future: counts, and as the last record it holds back nothing.
    for (int p = 0; p < FaultHarness.PARALLELISM; p++) {
      counted.add(send(records, topic, p, event(now.plus(Duration.ofHours(12)))));
    }

    ServiceScenario scenario = ServiceScenario.of(counted);
    FaultHarness h = new FaultHarness(KAFKA, CLICKHOUSE, List.of(scenario));
    List<RecordMetadata> sent = h.produce(records);
    KpiOptions options = h.options().maxFuture(java.time.Duration.ofDays(1)).build();
    Configuration conf = FaultHarness.streamingConfig();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    // 50 ms a record: the sources emit watermarks every 200 ms, and a fast source would read a
    // whole partition between two of them — no watermark could move between the future events and
    // the ones after them, and the test would prove nothing.
    JobClient job = h.start(conf, options, s -> new InputStage.Throttle(50), "FutureEventITCase");
    FaultHarness.await(job, Duration.ofMinutes(2));

    // Exactly the future events are rejected, as `future`, at the places they were sent to.
    Map<String, String> rejected = new TreeMap<>();
    for (Map<String, Object> r : h.rejections()) {
      rejected.put((String) r.get("event_id"), (String) r.get("reason"));
      int i = indexOf(records, (String) r.get("event_id"));
      assertThat(((Number) r.get("offset")).longValue())
          .as("offset of %s", r.get("event_id"))
          .isEqualTo(sent.get(i).offset());
    }
    Map<String, String> expected = new TreeMap<>();
    future.forEach(id -> expected.put(id, "future"));
    assertThat(rejected).as("rejected_events (event_id → reason)").isEqualTo(expected);

    h.assertFinalRowsMatchOracles("events around future-stamped ones");
    h.assertEveryFinalRowWrittenMatchesOracles("events around future-stamped ones");
    System.err.printf(
        "[FutureEventITCase] %d counted, %d future rejected; %d ms%n",
        counted.size(), future.size(), FaultHarness.ms(t0));
  }

  private static Event send(
      List<ProducerRecord<byte[], byte[]>> records, String topic, int partition, Event e) {
    records.add(
        new ProducerRecord<>(
            topic, partition, Fuzzer.utf8(e.transactionId()), Fuzzer.utf8(e.json(null))));
    return e;
  }

  private static int indexOf(List<ProducerRecord<byte[], byte[]>> records, String eventId) {
    for (int i = 0; i < records.size(); i++) {
      if (new String(records.get(i).value(), StandardCharsets.UTF_8)
          .contains("\"event_id\":\"" + eventId + "\"")) {
        return i;
      }
    }
    throw new AssertionError("no record sent with event_id " + eventId);
  }

  /** A service event at {@code t} with random attributes; completions took 1 to 100 hours. */
  private Event event(Instant t) {
    next++;
    Service service =
        ServiceTransactions.SERVICES.get(random.nextInt(ServiceTransactions.SERVICES.size()));
    String status = List.of("accepted", "completed", "rejected").get(random.nextInt(3));
    Instant acceptedAt = null;
    Integer visits = null;
    Integer satisfaction = null;
    if (status.equals("completed")) {
      acceptedAt = t.minus(Duration.ofMinutes(60 + random.nextInt(6000)));
      visits = random.nextInt(3);
      satisfaction = random.nextBoolean() ? null : 1 + random.nextInt(5);
    }
    return new Event(
        String.format("fut-%04d", next),
        text(t),
        t,
        String.format("tx-fut-%04d", next),
        service,
        ServiceTransactions.COUNTIES.get(random.nextInt(ServiceTransactions.COUNTIES.size())),
        status,
        ServiceTransactions.CHANNELS.get(random.nextInt(ServiceTransactions.CHANNELS.size())),
        acceptedAt == null ? null : text(acceptedAt),
        acceptedAt,
        visits,
        satisfaction);
  }

  private static String text(Instant t) {
    return TEXT.format(OffsetDateTime.ofInstant(t, ZoneOffset.ofHours(8)));
  }
}
