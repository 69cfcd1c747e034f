// Proves the embedded broker is a usable Kafka: records survive a round trip and a restart, the
// background process mode used by bin/kpi starts and stops cleanly, and Flink's Kafka connector
// works against it on the same classpath.
package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import cn.xingan.kpi.local.EmbeddedKafka;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaITCase {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @Test
  void roundTripsThousandRecordsAcrossTwoPartitions() {
    String topic = "itc-round-trip";
    KAFKA.createTopics(2, topic);
    KAFKA.createTopics(2, topic); // a second call must be a no-op, not an error

    KAFKA.produce(topic, records(topic, 0, 1000));
    List<ConsumerRecord<byte[], byte[]>> read = KAFKA.consumeAll(topic, READ_TIMEOUT);

    assertThat(read).hasSize(1000);
    assertThat(keyToValue(read)).isEqualTo(expectedPairs(0, 1000));
    assertThat(read.stream().map(ConsumerRecord::partition).distinct())
        .containsExactlyInAnyOrder(0, 1);
    // Offsets in each partition are 0..n-1 without gaps: nothing lost, nothing duplicated.
    for (int partition : List.of(0, 1)) {
      List<Long> offsets =
          read.stream()
              .filter(r -> r.partition() == partition)
              .map(ConsumerRecord::offset)
              .sorted()
              .toList();
      assertThat(offsets).isEqualTo(LongStream.range(0, offsets.size()).boxed().toList());
    }
  }

  @Test
  void restartKeepsRecordsAndPort() {
    assumeThat(KAFKA.isEmbedded()).as("needs the embedded broker, not KAFKA_BOOTSTRAP").isTrue();
    EmbeddedKafka broker = KAFKA.broker();
    String topic = "itc-restart";
    KAFKA.createTopics(2, topic);
    KAFKA.produce(topic, records(topic, 0, 500));
    String before = broker.bootstrapServers();

    broker.restart();

    assertThat(broker.isRunning()).isTrue();
    assertThat(broker.bootstrapServers()).isEqualTo(before);
    KAFKA.produce(topic, records(topic, 500, 1000));
    List<ConsumerRecord<byte[], byte[]>> read = KAFKA.consumeAll(topic, READ_TIMEOUT);
    assertThat(read).hasSize(1000);
    assertThat(keyToValue(read)).isEqualTo(expectedPairs(0, 1000));
  }

  @Test
  void backgroundProcessServesClientsStopsOnSigtermAndKeepsDataForTheNextRun(@TempDir Path dir)
      throws Exception {
    String bootstrap;
    try (BrokerProcess first =
        BrokerProcess.launch(dir, 0, "--topics", "itc-bg-a,itc-bg-b", "--partitions", "2")) {
      bootstrap = first.awaitReady();
      assertThat(bootstrap).matches("127\\.0\\.0\\.1:\\d+");
      assertThat(Files.readString(dir.resolve(EmbeddedKafka.BOOTSTRAP_FILE)).trim())
          .isEqualTo(bootstrap);

      KafkaTestClient client = new KafkaTestClient(bootstrap);
      client.produce(records("itc-bg-a", 0, 100));
      List<ConsumerRecord<byte[], byte[]>> read = client.consumeAll("itc-bg-a", READ_TIMEOUT);
      assertThat(keyToValue(read)).isEqualTo(expectedPairs(0, 100));
      assertThat(read.stream().map(ConsumerRecord::partition).distinct())
          .containsExactlyInAnyOrder(0, 1);
      assertThat(client.consumeAll("itc-bg-b", READ_TIMEOUT)).isEmpty();

      first.terminateAndAwaitStopped();
    }
    assertThat(dir.resolve(EmbeddedKafka.BOOTSTRAP_FILE)).doesNotExist();
    int port = Integer.parseInt(bootstrap.substring(bootstrap.indexOf(':') + 1));
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThat(socket.getLocalPort()).as("port released").isEqualTo(port);
    }

    try (BrokerProcess second = BrokerProcess.launch(dir, port)) {
      assertThat(second.awaitReady()).isEqualTo(bootstrap);
      List<ConsumerRecord<byte[], byte[]>> reread =
          new KafkaTestClient(bootstrap).consumeAll("itc-bg-a", READ_TIMEOUT);
      assertThat(keyToValue(reread)).isEqualTo(expectedPairs(0, 100));
      second.terminateAndAwaitStopped();
    }
  }

  @Test
  void refusesABusyPortAndABusyDataDirectory(@TempDir Path dir) throws IOException {
    assumeThat(KAFKA.isEmbedded()).as("needs the embedded broker, not KAFKA_BOOTSTRAP").isTrue();
    EmbeddedKafka shared = KAFKA.broker();

    assertThatThrownBy(() -> EmbeddedKafka.start(dir, shared.port()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("127.0.0.1:" + shared.port())
        .hasMessageContaining("already in use");
    assertThatThrownBy(() -> EmbeddedKafka.start(shared.dataDir(), 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(shared.dataDir().toString())
        .hasMessageContaining("in use");
    assertThat(shared.isRunning()).isTrue();
    KAFKA.createTopics(1, "itc-still-up");
  }

  @Test
  void flinkKafkaSinkAndSourceRunAgainstTheBroker() throws Exception {
    String topic = "itc-flink";
    KAFKA.createTopics(2, topic);
    List<String> values =
        IntStream.range(0, 1000).mapToObj(i -> "value-" + i).collect(Collectors.toList());

    StreamExecutionEnvironment write = StreamExecutionEnvironment.getExecutionEnvironment();
    write.setParallelism(2);
    write.enableCheckpointing(500);
    write
        .fromData(values)
        .sinkTo(
            KafkaSink.<String>builder()
                .setBootstrapServers(KAFKA.bootstrapServers())
                // At least once, as the jobs' own Kafka sinks: an exactly-once commit can land
                // after the job reports done, which made this check flaky.
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setRecordSerializer(
                    KafkaRecordSerializationSchema.<String>builder()
                        .setTopic(topic)
                        .setValueSerializationSchema(new SimpleStringSchema())
                        .build())
                .build())
        .name("kafka-sink")
        .uid("kafka-sink");
    write.execute("write 1000 records");

    // Every record reached the broker.
    assertThat(KAFKA.consumeAll(topic, READ_TIMEOUT)).hasSize(1000);

    StreamExecutionEnvironment read = StreamExecutionEnvironment.getExecutionEnvironment();
    read.setParallelism(2);
    KafkaSource<String> source =
        KafkaSource.<String>builder()
            .setBootstrapServers(KAFKA.bootstrapServers())
            .setTopics(topic)
            .setGroupId("itc-flink-count")
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setBounded(OffsetsInitializer.latest())
            .setValueOnlyDeserializer(new SimpleStringSchema())
            .build();
    List<String> seen = new ArrayList<>();
    try (CloseableIterator<String> it =
        read.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka-source")
            .uid("kafka-source")
            .executeAndCollect("count 1000 records")) {
      it.forEachRemaining(seen::add);
    }
    assertThat(seen).hasSize(1000).containsExactlyInAnyOrderElementsOf(values);
  }

  /** Records key-i -> value-i for i in [from, to), i zero-padded to four digits in the key. */
  private static List<ProducerRecord<byte[], byte[]>> records(String topic, int from, int to) {
    return IntStream.range(from, to)
        .mapToObj(i -> KafkaTestClient.record(topic, String.format("key-%04d", i), "value-" + i))
        .toList();
  }

  private static Map<String, String> expectedPairs(int from, int to) {
    Map<String, String> expected = new HashMap<>();
    for (int i = from; i < to; i++) {
      expected.put(String.format("key-%04d", i), "value-" + i);
    }
    return expected;
  }

  /** Key to value of the records read; a duplicate key fails, since every key was sent once. */
  private static Map<String, String> keyToValue(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().collect(Collectors.toMap(KafkaTestClient::key, KafkaTestClient::value));
  }

  /** A broker started as {@code bin/kpi} does: its own JVM, stdout read line by line. */
  private static final class BrokerProcess implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> stdout;
    private final Path stderr;
    private final long launchedNanos = System.nanoTime();

    private BrokerProcess(Process process, Path stderr) {
      this.process = process;
      this.stderr = stderr;
      this.stdout = readLines(process);
    }

    static BrokerProcess launch(Path dir, int port, String... extraArgs) throws IOException {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(
          List.of(
              "-Xmx512m",
              "-cp",
              System.getProperty("java.class.path"),
              EmbeddedKafka.class.getName(),
              "--port",
              Integer.toString(port),
              "--dir",
              dir.toString()));
      command.addAll(List.of(extraArgs));
      Files.createDirectories(dir);
      Path stderr = dir.resolve("stderr.log");
      Process process =
          new ProcessBuilder(command)
              .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
              .start();
      return new BrokerProcess(process, stderr);
    }

    /** Returns the bootstrap address from the READY line. */
    String awaitReady() throws InterruptedException {
      String line = stdout.poll(120, TimeUnit.SECONDS);
      assertThat(line)
          .as(() -> "first stdout line; stderr: " + readQuietly(stderr))
          .startsWith(EmbeddedKafka.READY_PREFIX);
      System.out.printf(
          "Background broker READY %d ms after JVM launch%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launchedNanos));
      return line.substring(EmbeddedKafka.READY_PREFIX.length());
    }

    void terminateAndAwaitStopped() throws InterruptedException {
      // SIGTERM through the handle: Process.destroy() would also close our end of its stdout.
      assertThat(process.toHandle().destroy()).isTrue();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
      assertThat(process.exitValue()).isEqualTo(128 + 15);
      assertThat(stdout.poll(5, TimeUnit.SECONDS))
          .as(() -> "line after SIGTERM; stderr: " + readQuietly(stderr))
          .isEqualTo(EmbeddedKafka.STOPPED_LINE);
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static BlockingQueue<String> readLines(Process process) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // The process was killed; the assertions on the queue report what is missing.
              }
            },
            "kafka-process-stdout");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }
}
