package cn.xingan.kpi.sink;

import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.events.Rejection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The Kafka dead-letter topic {@code kpi-rejected}: each rejected record's original bytes (the
 * first 64 KiB, unchanged even where they are not UTF-8) as the value, its event id as the key, and
 * the reason and the source coordinates as headers, so a consumer can fix and replay records
 * without parsing them.
 */
public final class DeadLetters implements KafkaRecordSerializationSchema<Rejection> {
  private static final long serialVersionUID = 1L;

  public static final String REASON = "kpi.reason";
  public static final String DETAIL = "kpi.detail";
  public static final String SOURCE = "kpi.source";
  public static final String PARTITION = "kpi.partition";
  public static final String OFFSET = "kpi.offset";
  public static final String RECEIVED_AT = "kpi.received_at";

  private final String topic;

  public DeadLetters(String topic) {
    this.topic = topic;
  }

  /** An at-least-once Kafka sink of rejections to {@code topic}. */
  public static KafkaSink<Rejection> sink(KpiOptions options, String topic) {
    return KafkaSink.<Rejection>builder()
        .setKafkaProducerConfig(options.kafkaClientProperties())
        .setBootstrapServers(options.kafkaBootstrap())
        .setRecordSerializer(new DeadLetters(topic))
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .build();
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      Rejection r, KafkaSinkContext context, Long timestamp) {
    List<Header> headers = new ArrayList<>(6);
    headers.add(header(REASON, r.reason()));
    headers.add(header(DETAIL, r.detail()));
    headers.add(header(SOURCE, r.source()));
    headers.add(header(PARTITION, String.valueOf(r.partition())));
    headers.add(header(OFFSET, String.valueOf(r.offset())));
    headers.add(header(RECEIVED_AT, String.valueOf(r.receivedAt())));
    byte[] key = r.eventId().isEmpty() ? null : utf8(r.eventId());
    return new ProducerRecord<>(topic, null, r.receivedAt(), key, r.rawBytes(), headers);
  }

  private static Header header(String name, String value) {
    return new RecordHeader(name, utf8(value == null ? "" : value));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
