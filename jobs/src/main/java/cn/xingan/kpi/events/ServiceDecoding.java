package cn.xingan.kpi.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code service-transactions} rules of the contract, applied to one parsed record. */
final class ServiceDecoding {
  private static final Map<String, ServiceStatus> STATUS = new LinkedHashMap<>();
  private static final Map<String, String> CHANNEL = new LinkedHashMap<>();

  static {
    STATUS.put("accepted", ServiceStatus.ACCEPTED);
    STATUS.put("completed", ServiceStatus.COMPLETED);
    STATUS.put("rejected", ServiceStatus.REJECTED);
    for (String c : List.of("online", "window", "one_stop_police", "mail")) {
      CHANNEL.put(c, c);
    }
  }

  private ServiceDecoding() {}

  static ServiceEvent decode(Fields f, String eventId, long eventTime) {
    String transactionId = f.text("transaction_id");
    String serviceCode = f.code("service_code");
    String serviceName = f.text("service_name");
    String department = f.code("department");
    String county = f.code("county");
    ServiceStatus status = f.oneOf("status", STATUS);
    String channel = f.oneOf("channel", CHANNEL);
    int statutory = f.integer("statutory_days", 1, Integer.MAX_VALUE);
    int promised = f.integer("promised_days", 1, Integer.MAX_VALUE);
    if (promised > statutory) {
      throw new InvalidEvent(
          Rejection.INVALID_VALUE,
          "promised_days "
              + promised
              + " exceeds statutory_days "
              + statutory
              + "; expected promised <= statutory");
    }
    long acceptedAt = ServiceEvent.NONE;
    int visits = -1;
    int satisfaction = 0;
    if (status == ServiceStatus.COMPLETED) {
      acceptedAt = f.instant("accepted_at");
      if (acceptedAt > eventTime) {
        throw new InvalidEvent(
            Rejection.INVALID_VALUE,
            "accepted_at "
                + f.raw("accepted_at")
                + " is after event_time "
                + f.raw("event_time")
                + "; expected accepted_at <= event_time");
      }
      visits = f.integer("visits", 0, Integer.MAX_VALUE);
      if (f.has("satisfaction")) {
        satisfaction = f.integer("satisfaction", 1, 5);
      }
    }
    return new ServiceEvent(
        eventId,
        eventTime,
        transactionId,
        serviceCode,
        serviceName,
        department,
        county,
        status,
        channel,
        statutory,
        promised,
        acceptedAt,
        visits,
        satisfaction);
  }
}
