package cn.xingan.kpi.events;

/**
 * The three input streams of the contract, by the Kafka topic (and backfill {@code stream}) name.
 */
public enum EventStream {
  PROJECT_PROGRESS("project-progress"),
  SERVICE_TRANSACTIONS("service-transactions"),
  MARKET_STALL_COUNTS("market-stall-counts");

  private final String topic;

  EventStream(String topic) {
    this.topic = topic;
  }

  public String topic() {
    return topic;
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
