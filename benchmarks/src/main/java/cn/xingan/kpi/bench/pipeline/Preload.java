package cn.xingan.kpi.bench.pipeline;

import cn.xingan.kpi.events.EventStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The benchmark's input, written once: every event to its topic (keyed as the contract says), all
 * of them to a JSON Lines file for the backfill, and the service events alone to another for the
 * service-only backfill and the ClickHouse peer. Counts what it wrote, and the accepted service
 * events, which the league's year rows must add up to.
 */
final class Preload {
  record Counts(
      long events,
      Map<EventStream, Long> byStream,
      long serviceAccepted,
      long bytes,
      Instant from,
      Instant to,
      double seconds) {}

  private Preload() {}

  static Counts write(
      BenchData data, long count, Instant end, String bootstrap, Path allFile, Path serviceFile)
      throws IOException {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
    p.put(ProducerConfig.ACKS_CONFIG, "1");
    Map<EventStream, Long> byStream = new EnumMap<>(EventStream.class);
    long[] accepted = {0};
    long[] bytes = {0};
    Instant from = BenchData.startFor(count, end);
    long t0 = System.nanoTime();
    long n;
    try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        OutputStream all = new BufferedOutputStream(Files.newOutputStream(allFile), 1 << 20);
        OutputStream service =
            new BufferedOutputStream(Files.newOutputStream(serviceFile), 1 << 20)) {
      n =
          data.generate(
              from,
              end,
              count,
              (stream, e) -> {
                producer.send(
                    new ProducerRecord<>(
                        stream.topic(), e.key().getBytes(StandardCharsets.UTF_8), e.json()));
                byte[] line = e.jsonWithStream(stream.topic());
                try {
                  all.write(line);
                  all.write('\n');
                  if (stream == EventStream.SERVICE_TRANSACTIONS) {
                    service.write(line);
                    service.write('\n');
                    if (BenchData.isAccepted(e)) {
                      accepted[0]++;
                    }
                  }
                } catch (IOException ex) {
                  throw new java.io.UncheckedIOException(ex);
                }
                bytes[0] += e.json().length;
                byStream.merge(stream, 1L, Long::sum);
              });
      producer.flush();
    }
    return new Counts(
        n, byStream, accepted[0], bytes[0], from, end, (System.nanoTime() - t0) / 1e9);
  }
}
