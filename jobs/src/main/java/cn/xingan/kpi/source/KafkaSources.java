package cn.xingan.kpi.source;

import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.EventDecoder;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.job.EnvelopeWatermarks;
import cn.xingan.kpi.job.KpiSources;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * One Kafka source per stream topic, each with its own per-partition watermarks and idleness.
 * Offsets start from the group's committed ones (earliest for a new group) and are committed on
 * checkpoints. {@code bounded} stops at the offsets current at start — for tests and catch-up runs.
 */
public final class KafkaSources implements KpiSources {
  private final KpiOptions options;
  private final List<EventStream> streams;
  private final boolean bounded;

  public KafkaSources(KpiOptions options, List<EventStream> streams, boolean bounded) {
    this.options = options;
    this.streams = streams;
    this.bounded = bounded;
  }

  @Override
  public Map<EventStream, DataStream<Envelope>> open(StreamExecutionEnvironment env) {
    EventDecoder decoder =
        new EventDecoder(options.maxFuture().toMillis(), options.maxRecordBytes());
    Map<EventStream, DataStream<Envelope>> inputs = new LinkedHashMap<>();
    for (EventStream stream : streams) {
      KafkaSourceBuilder<Envelope> builder =
          KafkaSource.<Envelope>builder()
              .setProperties(options.kafkaClientProperties())
              .setBootstrapServers(options.kafkaBootstrap())
              .setTopics(stream.topic())
              .setGroupId(options.kafkaGroupId())
              .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
              .setDeserializer(new EnvelopeDeserializer(stream, decoder))
              .setProperty("partition.discovery.interval.ms", "60000")
              .setProperty("commit.offsets.on.checkpoint", "true");
      if (bounded) {
        builder.setBounded(OffsetsInitializer.latest());
      }
      inputs.put(
          stream,
          env.fromSource(
                  builder.build(),
                  EnvelopeWatermarks.strategy(options.outOfOrderness(), options.idleness()),
                  "kafka " + stream.topic())
              .uid("source-" + stream.topic()));
    }
    return inputs;
  }
}
