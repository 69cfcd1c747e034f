package cn.xingan.kpi.bench.pipeline;

import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.local.generate.GeneratedEvent;
import cn.xingan.kpi.local.generate.ServiceTransactionGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Service events stamped with the wall clock, sent at a steady rate: generated events (a day of
 * them, with their real mix of statuses, services and durations) re-issued with new ids and the
 * current time, {@code accepted_at} moved with it. Every {@link #TICK} it sends what the rate owes
 * and notes (time sent, events sent so far), so a reader can tell when each event became visible.
 */
final class LiveTraffic implements AutoCloseable {
  static final Duration TICK = Duration.ofMillis(10);

  /** When the events up to {@code sentSoFar} had been handed to Kafka. */
  record Sent(long nanos, long sentSoFar) {}

  private final ObjectMapper mapper = new ObjectMapper();
  private final List<ObjectNode> templates = new ArrayList<>();
  private final List<Long> processingMillis = new ArrayList<>();
  private final KafkaProducer<byte[], byte[]> producer;
  private final List<Sent> sent = new ArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private long count;

  LiveTraffic(String bootstrap, long seed, ZoneId zone) {
    Instant day = Instant.parse("2026-06-02T00:00:00Z");
    for (GeneratedEvent e :
        new ServiceTransactionGenerator(seed, zone)
            .between(day, day.plus(Duration.ofDays(1)), BenchData.SERVICE_PER_HOUR)) {
      try {
        ObjectNode node = (ObjectNode) mapper.readTree(e.json());
        long processing =
            node.has("accepted_at")
                ? e.eventTime().toEpochMilli()
                    - Instant.parse(node.get("accepted_at").asText()).toEpochMilli()
                : 0;
        templates.add(node);
        processingMillis.add(processing);
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put(ProducerConfig.ACKS_CONFIG, "1");
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Sends at {@code perSecond} until {@link #stop} or {@code duration}; returns what it sent. */
  synchronized long run(double perSecond, Duration duration) throws InterruptedException {
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    while (!stop.get() && System.nanoTime() < end) {
      long owed = (long) ((System.nanoTime() - start) / 1e9 * perSecond);
      Instant now = Instant.now();
      while (count < owed) {
        send(now);
      }
      synchronized (sent) {
        sent.add(new Sent(System.nanoTime(), count));
      }
      Thread.sleep(TICK.toMillis());
    }
    producer.flush();
    return count;
  }

  void stop() {
    stop.set(true);
  }

  /** The notes so far, oldest first. */
  List<Sent> sent() {
    synchronized (sent) {
      return List.copyOf(sent);
    }
  }

  private void send(Instant now) {
    int i = (int) (count % templates.size());
    ObjectNode e = templates.get(i);
    String tx = "live-" + count;
    e.put("transaction_id", tx);
    e.put("event_id", tx + "-" + e.get("status").asText());
    e.put("event_time", now.toString());
    if (e.has("accepted_at")) {
      e.put("accepted_at", now.minusMillis(processingMillis.get(i)).toString());
    }
    try {
      producer.send(
          new ProducerRecord<>(
              EventStream.SERVICE_TRANSACTIONS.topic(),
              tx.getBytes(StandardCharsets.UTF_8),
              mapper.writeValueAsBytes(e)));
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    count++;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
