package cn.xingan.kpi.local.generate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * One generated input event, ready for a Kafka producer: the record key, the UTF-8 JSON value and
 * the event time (also usable as the record timestamp). Equality compares the JSON bytes, so two
 * runs can be compared event by event.
 *
 * @param key the Kafka record key (e.g. the `transaction_id`)
 * @param json the event as UTF-8 JSON, one object
 * @param eventTime the event's `event_time`
 */
public record GeneratedEvent(String key, byte[] json, Instant eventTime) {

  /** The JSON as a string. */
  public String jsonText() {
    return new String(json, StandardCharsets.UTF_8);
  }

  /**
   * The JSON with a leading {@code "stream"} field, as a backfill JSON Lines file wants it
   * (CONTRACT §4); Kafka records carry the stream in the topic instead.
   */
  public byte[] jsonWithStream(String stream) {
    byte[] prefix = ("{\"stream\":\"" + stream + "\",").getBytes(StandardCharsets.UTF_8);
    byte[] line = Arrays.copyOf(prefix, prefix.length + json.length - 1);
    System.arraycopy(json, 1, line, prefix.length, json.length - 1);
    return line;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GeneratedEvent e
        && key.equals(e.key)
        && Arrays.equals(json, e.json)
        && eventTime.equals(e.eventTime);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * key.hashCode() + Arrays.hashCode(json)) + eventTime.hashCode();
  }

  @Override
  public String toString() {
    return "GeneratedEvent[key=" + key + ", eventTime=" + eventTime + ", json=" + jsonText() + "]";
  }
}
