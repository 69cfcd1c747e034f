// The key columns every KPI table shares (CONTRACT §3), so that fault tests can compare the rows of
// any stream's table with one piece of code.
package cn.xingan.kpi.testing;

import java.time.LocalDate;
import java.util.Map;

/** The key of a row of {@code kpi_service}, {@code kpi_project} or {@code kpi_market}. */
record KpiRowKey(String period, String scope, String scopeKey, LocalDate start, LocalDate end)
    implements Comparable<KpiRowKey> {

  /** The key columns selected before a scenario's value columns. */
  static final String COLUMNS = "period, period_start, period_end, scope, scope_key";

  /** The key of a row read over HTTP (JSONEachRow: dates as text). */
  static KpiRowKey of(Map<String, Object> row) {
    return new KpiRowKey(
        (String) row.get("period"),
        (String) row.get("scope"),
        (String) row.get("scope_key"),
        LocalDate.parse((String) row.get("period_start")),
        LocalDate.parse((String) row.get("period_end")));
  }

  @Override
  public int compareTo(KpiRowKey o) {
    int c = period.compareTo(o.period);
    c = c != 0 ? c : scope.compareTo(o.scope);
    c = c != 0 ? c : scopeKey.compareTo(o.scopeKey);
    return c != 0 ? c : start.compareTo(o.start);
  }

  @Override
  public String toString() {
    return period + " " + start + ".." + end + " " + scope + "/" + scopeKey;
  }
}
