// Creating topics is needed against the embedded broker and against any other broker (bin/kpi with
// an external Kafka, tests with KAFKA_BOOTSTRAP), so it lives apart from EmbeddedKafka.
package cn.xingan.kpi.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Idempotent topic creation that returns only once every partition has a leader. */
public final class KafkaTopics {

  static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

  private KafkaTopics() {}

  /**
   * Creates the topics that do not exist yet with {@code partitions} partitions and replication
   * factor 1, then waits until all of them (new or old) have a leader for every partition. An
   * existing topic is left as it is, with a warning when its partition count differs.
   */
  public static void create(String bootstrapServers, int partitions, String... names) {
    if (partitions < 1) {
      throw new IllegalArgumentException("Topic partitions must be >= 1, was " + partitions);
    }
    if (names.length == 0) {
      return;
    }
    try (Admin admin = admin(bootstrapServers)) {
      List<NewTopic> topics = new ArrayList<>();
      for (String name : names) {
        topics.add(new NewTopic(name, partitions, (short) 1));
      }
      for (Map.Entry<String, ? extends Future<Void>> result :
          admin.createTopics(topics).values().entrySet()) {
        try {
          result.getValue().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "Could not create topic '" + result.getKey() + "' on " + bootstrapServers, e);
          }
        }
      }
      awaitLeaders(admin, Arrays.asList(names))
          .forEach(
              (name, topic) -> {
                if (topic.partitions().size() != partitions) {
                  LOG.warn(
                      "Topic '{}' already exists with {} partitions, not the {} asked for",
                      name,
                      topic.partitions().size(),
                      partitions);
                }
              });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topics", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at " + bootstrapServers + " did not create topics within " + TIMEOUT, e);
    }
  }

  /** Describes the topics once every one of their partitions has a leader. */
  static Map<String, TopicDescription> awaitLeaders(Admin admin, Collection<String> names)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      try {
        Map<String, TopicDescription> described =
            admin
                .describeTopics(names)
                .allTopicNames()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        boolean allLed =
            described.values().stream()
                .flatMap(d -> d.partitions().stream())
                .map(TopicPartitionInfo::leader)
                .allMatch(leader -> leader != null && !leader.isEmpty());
        if (allLed) {
          return described;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw new IllegalStateException("Could not describe topics " + names, e);
        }
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "Topics " + names + " still have partitions without a leader after " + TIMEOUT);
      }
      Thread.sleep(50);
    }
  }

  static Admin admin(String bootstrapServers) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "kpi-topics-admin");
    return Admin.create(props);
  }
}
