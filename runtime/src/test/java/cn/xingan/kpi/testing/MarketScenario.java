// The market-stall-counts stream as a fault-test scenario: the market acceptance test's two months
// of reports (MarketReports, the valid ones only) in its sending order, and its independent
// oracle, reshaped into the generic rows the fault tests compare.
package cn.xingan.kpi.testing;

import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.testing.MarketReports.Key;
import cn.xingan.kpi.testing.MarketReports.Report;
import cn.xingan.kpi.testing.MarketReports.Row;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code market-stall-counts} → {@code kpi_market}. */
final class MarketScenario implements StreamScenario {
  /** The acceptance test's arrival order: by day, shuffled within each day. */
  static final long ORDER_SEED = 7L;

  private static final List<String> VALUE_COLUMNS =
      List.of(
          "markets_reporting",
          "observations",
          "stalls_occupied_sum",
          "stalls_total_sum",
          "stalls_occupied_peak",
          "markets_operating",
          "markets_upgrading",
          "markets_closed",
          "workers_registered_latest",
          "jobs_matched",
          "events",
          "is_final",
          "version");

  private final List<Report> reports;
  private final List<Report> sendingOrder;

  private MarketScenario(List<Report> reports, List<Report> sendingOrder) {
    this.reports = reports;
    this.sendingOrder = sendingOrder;
  }

  /**
   * The acceptance test's reports of May and June 2026 without the three it rejects (the fault
   * tests send valid events only), out of order by up to a day: never late.
   */
  static MarketScenario standard() {
    List<Report> valid = MarketReports.generate().stream().filter(Report::valid).toList();
    return new MarketScenario(valid, MarketReports.sendingOrder(valid, ORDER_SEED));
  }

  @Override
  public EventStream stream() {
    return EventStream.MARKET_STALL_COUNTS;
  }

  @Override
  public List<Map.Entry<String, String>> records() {
    return sendingOrder.stream().map(r -> Map.entry(r.market().id(), r.json())).toList();
  }

  /** An operating report of a market of its own, so it adds to no compared row. */
  @Override
  public Map.Entry<String, String> eventAt(Instant time, String eventId) {
    String json =
        "{\"event_id\":\""
            + eventId
            + "\",\"event_time\":\""
            + time
            + "\",\"market_id\":\"sentinel-market\",\"market_name\":\"哨兵市场\","
            + "\"county\":\"arxan\",\"market_type\":\"night\",\"status\":\"operating\","
            + "\"stalls_total\":10,\"stalls_occupied\":5}";
    return Map.entry("sentinel-market", json);
  }

  /** Far after the reports (May–June 2026): the sentinels' own rows are of 2030–2031. */
  @Override
  public Instant sentinelTime() {
    return Instant.parse("2031-01-01T00:00:00Z");
  }

  @Override
  public String table() {
    return "kpi_market";
  }

  @Override
  public List<String> valueColumns() {
    return VALUE_COLUMNS;
  }

  @Override
  public Map<KpiRowKey, Map<String, Object>> expectedFinalRows() {
    Map<KpiRowKey, Map<String, Object>> rows = new TreeMap<>();
    for (Map.Entry<Key, Row> e : MarketReports.expected(reports).entrySet()) {
      Key k = e.getKey();
      Row x = e.getValue();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("markets_reporting", x.marketsReporting());
      row.put("observations", x.observations());
      row.put("stalls_occupied_sum", x.stallsOccupiedSum());
      row.put("stalls_total_sum", x.stallsTotalSum());
      row.put("stalls_occupied_peak", x.stallsOccupiedPeak());
      row.put("markets_operating", x.marketsOperating());
      row.put("markets_upgrading", x.marketsUpgrading());
      row.put("markets_closed", x.marketsClosed());
      row.put("workers_registered_latest", x.workersRegisteredLatest());
      row.put("jobs_matched", x.jobsMatched());
      row.put("events", x.events());
      row.put("is_final", x.isFinal());
      row.put("version", x.version());
      rows.put(new KpiRowKey(k.period(), k.scope(), k.scopeKey(), k.start(), x.end()), row);
    }
    return rows;
  }
}
