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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Service events stamped with the wall clock, sent at a steady rate: generated events (a day of
 * them, with their real mix of statuses, services and durations) re-issued with new ids and the
 * current time, {@code accepted_at} moved with it. Every {@link #TICK} it sends what the rate owes
 * and notes (time sent, events sent so far), so a reader can tell when each event became visible.
 *
 * <p>The sender shares the 2 cores with the job it measures, so it is kept cheap: each template is
 * serialized once, with markers where the id and the times go ({@link Template}), and an event is
 * those bytes with the values spliced in; the producer batches for up to {@link #LINGER} (a tick's
 * events go out together anyway), instead of one produce request per event.
 */
final class LiveTraffic implements AutoCloseable {
  static final Duration TICK = Duration.ofMillis(10);
  static final Duration LINGER = Duration.ofMillis(5);

  /** When the events up to {@code sentSoFar} had been handed to Kafka. */
  record Sent(long nanos, long sentSoFar) {}

  private final List<Template> templates = new ArrayList<>();
  private final KafkaProducer<byte[], byte[]> producer;
  private final List<Sent> sent = new ArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private long count;
  private double achieved = Double.NaN;

  LiveTraffic(String bootstrap, long seed, ZoneId zone) {
    ObjectMapper mapper = new ObjectMapper();
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
        templates.add(Template.of(mapper, node, processing));
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(LINGER.toMillis()));
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
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
      byte[] nowText = now.toString().getBytes(StandardCharsets.US_ASCII);
      while (count < owed) {
        send(now, nowText);
      }
      synchronized (sent) {
        sent.add(new Sent(System.nanoTime(), count));
      }
      Thread.sleep(TICK.toMillis());
    }
    producer.flush();
    achieved = count / ((System.nanoTime() - start) / 1e9);
    return count;
  }

  /** Events per second the last {@link #run} handed to Kafka, flushed; NaN before one ended. */
  synchronized double achievedPerSecond() {
    return achieved;
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

  private void send(Instant now, byte[] nowText) {
    Template t = templates.get((int) (count % templates.size()));
    byte[] tx = ("live-" + count).getBytes(StandardCharsets.US_ASCII);
    byte[] acceptedAt =
        t.processingMillis() < 0
            ? null
            : now.minusMillis(t.processingMillis()).toString().getBytes(StandardCharsets.US_ASCII);
    producer.send(
        new ProducerRecord<>(
            EventStream.SERVICE_TRANSACTIONS.topic(), tx, t.splice(tx, nowText, acceptedAt)));
    count++;
  }

  /**
   * One generated event serialized once, cut at the markers that stand for the transaction id, the
   * event time and {@code accepted_at}: {@code parts[i]} is followed by the value of {@code
   * slots[i]}, the last part by nothing. {@code processingMillis} is how long before the event time
   * it was accepted, or -1 when it has no {@code accepted_at}.
   */
  record Template(byte[][] parts, int[] slots, long processingMillis) {
    private static final String[] MARKERS = {"@@tx@@", "@@time@@", "@@accepted@@"};
    private static final Pattern MARKER = Pattern.compile("@@(tx|time|accepted)@@");

    static Template of(ObjectMapper mapper, ObjectNode event, long processingMillis)
        throws IOException {
      boolean accepted = event.has("accepted_at");
      event.put("transaction_id", MARKERS[0]);
      event.put("event_id", MARKERS[0] + "-" + event.get("status").asText());
      event.put("event_time", MARKERS[1]);
      if (accepted) {
        event.put("accepted_at", MARKERS[2]);
      }
      String json = mapper.writeValueAsString(event);
      List<byte[]> parts = new ArrayList<>();
      List<Integer> slots = new ArrayList<>();
      Matcher m = MARKER.matcher(json);
      int from = 0;
      while (m.find()) {
        parts.add(json.substring(from, m.start()).getBytes(StandardCharsets.UTF_8));
        slots.add(List.of(MARKERS).indexOf(m.group()));
        from = m.end();
      }
      parts.add(json.substring(from).getBytes(StandardCharsets.UTF_8));
      Template t =
          new Template(
              parts.toArray(byte[][]::new),
              slots.stream().mapToInt(Integer::intValue).toArray(),
              accepted ? processingMillis : -1);
      t.check(mapper, event);
      return t;
    }

    /** Fails unless splicing gives the event with the values Jackson would have written. */
    private void check(ObjectMapper mapper, ObjectNode event) throws IOException {
      String[] values = {"live-0", "2026-06-02T01:02:03.456Z", "2026-06-01T01:02:03Z"};
      ObjectNode expected = event.deepCopy();
      expected.put("transaction_id", values[0]);
      expected.put("event_id", values[0] + "-" + event.get("status").asText());
      expected.put("event_time", values[1]);
      if (event.has("accepted_at")) {
        expected.put("accepted_at", values[2]);
      }
      byte[][] bytes = new byte[values.length][];
      for (int i = 0; i < values.length; i++) {
        bytes[i] = values[i].getBytes(StandardCharsets.US_ASCII);
      }
      if (!mapper.readTree(splice(bytes)).equals(expected)) {
        throw new IllegalStateException("a live template does not splice back: " + event);
      }
    }

    /** The event's bytes with {@code values[slot]} at each marker. */
    byte[] splice(byte[]... values) {
      int size = 0;
      for (int i = 0; i < parts.length; i++) {
        size += parts[i].length + (i < slots.length ? values[slots[i]].length : 0);
      }
      byte[] out = new byte[size];
      int at = 0;
      for (int i = 0; i < parts.length; i++) {
        System.arraycopy(parts[i], 0, out, at, parts[i].length);
        at += parts[i].length;
        if (i < slots.length) {
          byte[] v = values[slots[i]];
          System.arraycopy(v, 0, out, at, v.length);
          at += v.length;
        }
      }
      return out;
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
