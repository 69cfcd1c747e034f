package cn.xingan.kpi.events;

/**
 * The three input streams of the contract, by the Kafka topic (and backfill {@code stream}) name.
 */
public enum EventStream {
  PROJECT_PROGRESS("project-progress", "project_id"),
  SERVICE_TRANSACTIONS("service-transactions", "transaction_id"),
  MARKET_STALL_COUNTS("market-stall-counts", "market_id");

  private final String topic;
  private final String keyField;

  EventStream(String topic, String keyField) {
    this.topic = topic;
    this.keyField = keyField;
  }

  public String topic() {
    return topic;
  }

  /** The field whose value is the Kafka record key (CONTRACT.md section 1). */
  public String keyField() {
    return keyField;
  }

  /** The stream with this topic name, or null when there is none. */
  public static EventStream byTopic(String name) {
    for (EventStream s : values()) {
      if (s.topic.equals(name)) {
        return s;
      }
    }
    return null;
  }
}
