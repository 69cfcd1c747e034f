// Tests write fixtures into Kafka and read results back from whatever broker they run against (the
// shared embedded one, KAFKA_BOOTSTRAP, a background broker process), so the plain client code that
// does it synchronously lives here once, bound only to a bootstrap string.
package cn.xingan.kpi.testing;

import cn.xingan.kpi.local.KafkaTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Synchronous produce and read-everything helpers against one Kafka cluster. */
public final class KafkaTestClient {

  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  private final String bootstrapServers;

  public KafkaTestClient(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Creates missing topics (replication factor 1) and waits for their leaders. */
  public void createTopics(int partitions, String... names) {
    KafkaTopics.create(bootstrapServers, partitions, names);
  }

  /** Sends the records (acks=all, idempotent) and returns once the broker acknowledged all. */
  public List<RecordMetadata> produce(List<ProducerRecord<byte[], byte[]>> records) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
      for (ProducerRecord<byte[], byte[]> record : records) {
        sent.add(producer.send(record));
      }
      producer.flush();
      List<RecordMetadata> acked = new ArrayList<>(sent.size());
      for (Future<RecordMetadata> future : sent) {
        acked.add(future.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
      }
      return acked;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while producing", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "Could not produce " + records.size() + " records to " + bootstrapServers, e);
    }
  }

  /** Sends records that must all be addressed to {@code topic}. */
  public List<RecordMetadata> produce(String topic, List<ProducerRecord<byte[], byte[]>> records) {
    for (ProducerRecord<byte[], byte[]> record : records) {
      if (!topic.equals(record.topic())) {
        throw new IllegalArgumentException(
            "Record for topic '" + record.topic() + "' passed to produce('" + topic + "', ...)");
      }
    }
    return produce(records);
  }

  /** Sends UTF-8 (key, value) pairs to {@code topic} in order; the key picks the partition. */
  public List<RecordMetadata> produceStrings(String topic, List<Map.Entry<String, String>> pairs) {
    return produce(
        pairs.stream()
            .map(pair -> record(topic, pair.getKey(), pair.getValue()))
            .collect(Collectors.toList()));
  }

  /**
   * The end offset of every partition of {@code topic} now: where a test's own records begin on a
   * topic that the JVM's other test classes write to as well.
   */
  public Map<TopicPartition, Long> endOffsets(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      return consumer.endOffsets(partitions, Duration.ofSeconds(30));
    }
  }

  /**
   * Commits the end offsets of {@code topic} for consumer group {@code group}, so a job of that
   * group reads only what is produced from now on.
   */
  public void startGroupAtTheEnd(String group, String topic) {
    Map<TopicPartition, Long> ends = endOffsets(topic);
    Properties props = consumerProps();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
      ends.forEach((p, end) -> commit.put(p, new OffsetAndMetadata(end)));
      consumer.commitSync(commit);
    }
  }

  /**
   * Reads every committed record of {@code topic} from the beginning up to the end offsets seen
   * when called (read_committed, so open or aborted transactions are not returned), without a
   * consumer group. Fails when the topic does not exist or the end is not reached in time.
   */
  public List<ConsumerRecord<byte[], byte[]>> consumeAll(String topic, Duration timeout) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException(
            "Topic '" + topic + "' does not exist on " + bootstrapServers);
      }
      List<TopicPartition> partitions =
          infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!reached(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "Read "
                  + records.size()
                  + " records of '"
                  + topic
                  + "' in "
                  + timeout
                  + " but not up to the end offsets "
                  + end);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  public static ProducerRecord<byte[], byte[]> record(String topic, String key, String value) {
    return new ProducerRecord<>(topic, utf8(key), utf8(value));
  }

  /** The key of a record as UTF-8 text, or null. */
  public static String key(ConsumerRecord<byte[], byte[]> record) {
    return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
  }

  /** The value of a record as UTF-8 text, or null. */
  public static String value(ConsumerRecord<byte[], byte[]> record) {
    return record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
  }

  private static boolean reached(
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  private static byte[] utf8(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  private Properties producerProps() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    // A topic created a moment ago can answer NOT_LEADER to the first batch while a later one is
    // already appended; the idempotent producer then retries that first batch into
    // OUT_OF_ORDER_SEQUENCE until it expires (seen here). One request in flight keeps the order
    // by itself, so retries are plain and safe.
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(SEND_TIMEOUT.toMillis()));
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return props;
  }

  private Properties consumerProps() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return props;
  }
}
