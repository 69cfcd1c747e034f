package cn.xingan.kpi.source;

import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.EventDecoder;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.events.Origin;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes Kafka records inside the source, so that the source's per-partition watermarks see event
 * times — and never see a record that was rejected. Bad records become rejection envelopes; the
 * source never fails on input.
 */
public final class EnvelopeDeserializer implements KafkaRecordDeserializationSchema<Envelope> {
  private static final long serialVersionUID = 1L;

  private final EventStream stream;
  private final EventDecoder decoder;

  public EnvelopeDeserializer(EventStream stream, EventDecoder decoder) {
    this.stream = stream;
    this.decoder = decoder;
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<Envelope> out) {
    Origin origin = new Origin(r.topic(), r.partition(), r.offset(), r.value());
    out.collect(decoder.decode(stream, origin, System.currentTimeMillis()));
  }

  @Override
  public TypeInformation<Envelope> getProducedType() {
    return TypeInformation.of(Envelope.class);
  }
}
