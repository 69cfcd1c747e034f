package cn.xingan.kpi.local;

import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The producer settings of bin/kpi's own producers ({@code produce} and quickstart's generated
 * traffic): in order (one request in flight, plain retries: a topic created a moment ago may answer
 * NOT_LEADER first, which the idempotent producer's sequence checks can wedge on) and acknowledged
 * by all replicas.
 */
public final class LocalProducer {
  private LocalProducer() {}

  /** {@code client} (bootstrap and any --kafka-property) with the settings above. */
  public static Properties ordered(Properties client) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    return p;
  }

  /**
   * The same, failing within seconds rather than minutes when the broker goes away: for {@code
   * produce}, which reports what it could not send. Quickstart's burst of a week of history keeps
   * Kafka's longer delivery timeout, so records queued behind it do not expire.
   */
  public static Properties failingFast(Properties client) {
    Properties p = ordered(client);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    return p;
  }
}
