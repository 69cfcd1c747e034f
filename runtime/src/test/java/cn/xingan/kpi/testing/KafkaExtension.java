// Starting a broker takes seconds, so all test classes of a JVM share one: the first class that
// needs Kafka starts it in the root store, JUnit closes it when the run ends. With KAFKA_BOOTSTRAP
// set, tests run against that cluster instead.
package cn.xingan.kpi.testing;

import cn.xingan.kpi.local.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class a running Kafka.
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
 * ...
 * KAFKA.createTopics(2, "project-progress");
 * KAFKA.produceStrings("project-progress", List.of(Map.entry("p-1", json)));
 * List<ConsumerRecord<byte[], byte[]>> out = KAFKA.consumeAll("kpi-alerts", Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>The broker is shared by every test class in the JVM, so tests should use their own topic
 * names. {@link #broker()} gives the embedded broker for restart tests; a test that restarts it
 * must leave it running.
 */
public final class KafkaExtension implements BeforeAllCallback, BeforeEachCallback {

  /** Environment variable naming an external cluster to use instead of the embedded broker. */
  public static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaExtension.class);

  private volatile SharedKafka shared;

  @Override
  public void beforeAll(ExtensionContext context) {
    attach(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    attach(context);
  }

  private void attach(ExtensionContext context) {
    if (shared == null) {
      shared =
          context
              .getRoot()
              .getStore(NAMESPACE)
              .getOrComputeIfAbsent(SharedKafka.class, k -> SharedKafka.open(), SharedKafka.class);
    }
  }

  public String bootstrapServers() {
    return kafka().client.bootstrapServers();
  }

  /** The client helpers bound to this cluster, e.g. to pass on to code under test. */
  public KafkaTestClient client() {
    return kafka().client;
  }

  /** True when the embedded broker is used, false when {@value #BOOTSTRAP_ENV} is set. */
  public boolean isEmbedded() {
    return kafka().broker != null;
  }

  /** The embedded broker, for restart tests; fails when {@value #BOOTSTRAP_ENV} is set. */
  public EmbeddedKafka broker() {
    SharedKafka kafka = kafka();
    if (kafka.broker == null) {
      throw new IllegalStateException(
          BOOTSTRAP_ENV
              + " is set ("
              + kafka.client.bootstrapServers()
              + "), so there is no embedded broker to control; unset it for this test");
    }
    return kafka.broker;
  }

  public void createTopics(int partitions, String... names) {
    client().createTopics(partitions, names);
  }

  public List<RecordMetadata> produce(String topic, List<ProducerRecord<byte[], byte[]>> records) {
    return client().produce(topic, records);
  }

  public List<RecordMetadata> produceStrings(String topic, List<Map.Entry<String, String>> pairs) {
    return client().produceStrings(topic, pairs);
  }

  public List<ConsumerRecord<byte[], byte[]>> consumeAll(String topic, Duration timeout) {
    return client().consumeAll(topic, timeout);
  }

  private SharedKafka kafka() {
    if (shared == null) {
      throw new IllegalStateException(
          "KafkaExtension is not started: register it with @RegisterExtension on a static field"
              + " (or an instance field) and call it from a test or @BeforeAll method");
    }
    return shared;
  }

  /** The per-JVM broker (or external cluster) kept in the root store until the run ends. */
  private static final class SharedKafka implements AutoCloseable {
    private final EmbeddedKafka broker;
    private final Path dataDir;
    private final KafkaTestClient client;

    private SharedKafka(EmbeddedKafka broker, Path dataDir, String bootstrapServers) {
      this.broker = broker;
      this.dataDir = dataDir;
      this.client = new KafkaTestClient(bootstrapServers);
    }

    static SharedKafka open() {
      String external = System.getenv(BOOTSTRAP_ENV);
      if (external != null && !external.isBlank()) {
        return new SharedKafka(null, null, external.trim());
      }
      try {
        Path dir = Files.createTempDirectory("kpi-test-kafka-");
        EmbeddedKafka broker = EmbeddedKafka.start(dir, 0);
        return new SharedKafka(broker, dir, broker.bootstrapServers());
      } catch (IOException e) {
        throw new UncheckedIOException("Could not create a data directory for Kafka", e);
      }
    }

    @Override
    public void close() throws IOException {
      if (broker == null) {
        return;
      }
      broker.close();
      try (Stream<Path> files = Files.walk(dataDir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }
}
