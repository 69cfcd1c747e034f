package cn.xingan.kpi.events;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A validated {@code service-transactions} event. Times are epoch millis; fields that only a
 * completed transaction has are {@link #NONE} (times, visits) or 0 (satisfaction) otherwise. Flink
 * writes it with {@link ServiceEventSerializer}.
 */
@TypeInfo(ServiceEventTypeInfo.Factory.class)
public record ServiceEvent(
    String eventId,
    long eventTime,
    String transactionId,
    String serviceCode,
    String serviceName,
    String department,
    String county,
    ServiceStatus status,
    String channel,
    int statutoryDays,
    int promisedDays,
    long acceptedAt,
    int visits,
    int satisfaction) {

  public static final long NONE = Long.MIN_VALUE;

  /** Processing time of a completed transaction, in millis. */
  public long processingMillis() {
    return eventTime - acceptedAt;
  }
}
