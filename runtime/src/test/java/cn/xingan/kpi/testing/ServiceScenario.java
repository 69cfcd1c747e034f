// The service-transactions stream as a fault-test scenario: the acceptance test's deterministic
// events (ServiceTransactions) and its independent oracle (ServiceKpiOracle), reshaped into the
// generic rows the fault tests compare.
package cn.xingan.kpi.testing;

import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.testing.ServiceKpiOracle.Expected;
import cn.xingan.kpi.testing.ServiceKpiOracle.Key;
import cn.xingan.kpi.testing.ServiceTransactions.Event;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code service-transactions} → {@code kpi_service}. */
final class ServiceScenario implements StreamScenario {
  static final long SEED = 20260615L;

  private static final List<String> VALUE_COLUMNS =
      List.of(
          "accepted",
          "completed",
          "rejected",
          "completed_on_time",
          "completed_online",
          "completed_zero_visit",
          "processing_hours_sum",
          "processing_hours_max",
          "promised_days_sum",
          "statutory_days_sum",
          "satisfaction_responses",
          "satisfaction_positive",
          "events",
          "is_final",
          "version");

  private final List<Event> events;
  private final List<Event> sendingOrder;

  private ServiceScenario(List<Event> events, List<Event> sendingOrder) {
    this.events = events;
    this.sendingOrder = sendingOrder;
  }

  /** The acceptance test's thousand events over 2026–2028, sent slightly out of order. */
  static ServiceScenario standard() {
    List<Event> events = ServiceTransactions.generate(SEED);
    return new ServiceScenario(events, ServiceTransactions.sendingOrder(events, SEED));
  }

  /** Given events, sent in the given order. */
  static ServiceScenario of(List<Event> sendingOrder) {
    return new ServiceScenario(sendingOrder, sendingOrder);
  }

  List<Event> events() {
    return events;
  }

  @Override
  public EventStream stream() {
    return EventStream.SERVICE_TRANSACTIONS;
  }

  @Override
  public List<Map.Entry<String, String>> records() {
    return sendingOrder.stream().map(e -> Map.entry(e.transactionId(), e.json(null))).toList();
  }

  @Override
  public Map.Entry<String, String> eventAt(Instant time, String eventId) {
    String json =
        "{\"event_id\":\""
            + eventId
            + "\",\"event_time\":\""
            + time
            + "\",\"transaction_id\":\"tx-"
            + eventId
            + "\",\"service_code\":\"residence-permit\",\"service_name\":\"居住证办理\","
            + "\"department\":\"public-security\",\"county\":\"ulanhot\","
            + "\"status\":\"accepted\",\"channel\":\"online\",\"statutory_days\":15,"
            + "\"promised_days\":3}";
    return Map.entry("tx-" + eventId, json);
  }

  /** Far after the events (2026–2028): the sentinels' own rows are of 2030–2031. */
  @Override
  public Instant sentinelTime() {
    return Instant.parse("2031-01-01T00:00:00Z");
  }

  @Override
  public String table() {
    return "kpi_service";
  }

  @Override
  public List<String> valueColumns() {
    return VALUE_COLUMNS;
  }

  @Override
  public Map<KpiRowKey, Map<String, Object>> expectedFinalRows() {
    Map<KpiRowKey, Map<String, Object>> rows = new TreeMap<>();
    for (Map.Entry<Key, Expected> e : ServiceKpiOracle.expected(events).entrySet()) {
      Key k = e.getKey();
      Expected x = e.getValue();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("accepted", x.accepted);
      row.put("completed", x.completed);
      row.put("rejected", x.rejected);
      row.put("completed_on_time", x.completedOnTime);
      row.put("completed_online", x.completedOnline);
      row.put("completed_zero_visit", x.completedZeroVisit);
      row.put("processing_hours_sum", x.processingHoursSum);
      row.put("processing_hours_max", x.processingHoursMax);
      row.put("promised_days_sum", x.promisedDaysSum);
      row.put("statutory_days_sum", x.statutoryDaysSum);
      row.put("satisfaction_responses", x.satisfactionResponses);
      row.put("satisfaction_positive", x.satisfactionPositive);
      row.put("events", x.events);
      row.put("is_final", 1L);
      row.put("version", 2 * x.events + 1);
      rows.put(new KpiRowKey(k.period(), k.scope(), k.scopeKey(), k.start(), k.end()), row);
    }
    return rows;
  }
}
