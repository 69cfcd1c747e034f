package cn.xingan.kpi.sink;

import cn.xingan.kpi.alerts.AlertJson;
import cn.xingan.kpi.alerts.ProjectAlert;
import cn.xingan.kpi.config.KpiOptions;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The Kafka side of the alerts: every alert version as JSON ({@link AlertJson}) to the topic {@code
 * project-alerts}, keyed by {@code alert_id} so the versions of one alert stay in order in one
 * partition. At least once: after a failure a version may be delivered again, with the same {@code
 * version}, so consumers keep the highest version per {@code alert_id}.
 */
final class AlertKafkaSink {
  private AlertKafkaSink() {}

  static KafkaSink<ProjectAlert> build(KpiOptions options) {
    return KafkaSink.<ProjectAlert>builder()
        .setKafkaProducerConfig(options.kafkaClientProperties())
        .setBootstrapServers(options.kafkaBootstrap())
        .setRecordSerializer(new Serializer(KpiOptions.TOPIC_ALERTS, options.zone()))
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .build();
  }

  private record Serializer(String topic, ZoneId zone)
      implements KafkaRecordSerializationSchema<ProjectAlert> {
    @Override
    public ProducerRecord<byte[], byte[]> serialize(
        ProjectAlert a, KafkaSinkContext context, Long timestamp) {
      return new ProducerRecord<>(
          topic,
          null,
          a.updatedAt(),
          a.alertId().getBytes(StandardCharsets.UTF_8),
          AlertJson.toJson(a, zone));
    }
  }
}
