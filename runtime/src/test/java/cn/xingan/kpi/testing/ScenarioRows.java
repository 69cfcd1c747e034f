package cn.xingan.kpi.testing;

import cn.xingan.kpi.sink.ClickHouseHttp;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A scenario's table read with FINAL against its oracle, on any server and database (FaultHarness
 * does the same on the test class's own database): what differs, one line per problem.
 */
final class ScenarioRows {
  private ScenarioRows() {}

  /** Missing, unexpected, repeated (two FINAL rows for a key) and differing rows; empty if none. */
  static List<String> problems(StreamScenario s, ClickHouseHttp http) {
    return problems(s, http, "");
  }

  /** As above for the rows a {@code WHERE ...} clause (or "") selects. */
  static List<String> problems(StreamScenario s, ClickHouseHttp http, String where) {
    List<String> problems = new ArrayList<>();
    Map<KpiRowKey, Map<String, Object>> actual = new TreeMap<>();
    String select =
        "SELECT "
            + KpiRowKey.COLUMNS
            + ", "
            + String.join(", ", s.valueColumns())
            + " FROM "
            + s.table()
            + " FINAL "
            + where;
    for (Map<String, Object> row : http.queryJson(select)) {
      if (actual.put(KpiRowKey.of(row), row) != null) {
        problems.add("a second FINAL row for " + KpiRowKey.of(row));
      }
    }
    Map<KpiRowKey, Map<String, Object>> expected = s.expectedFinalRows();
    TreeSet<KpiRowKey> missing = new TreeSet<>(expected.keySet());
    missing.removeAll(actual.keySet());
    missing.forEach(k -> problems.add("missing row " + k));
    actual.forEach(
        (k, row) -> {
          Map<String, Object> want = expected.get(k);
          if (want == null) {
            problems.add("unexpected row " + k + ": " + row);
            return;
          }
          want.forEach(
              (column, x) -> {
                if (!same(x, row.get(column))) {
                  problems.add(k + ": " + column + " = " + row.get(column) + ", expected " + x);
                }
              });
        });
    return problems.size() > 25 ? problems.subList(0, 25) : problems;
  }

  private static boolean same(Object want, Object got) {
    if (got == null) {
      return want == null;
    }
    if (want instanceof Double d) {
      double g = new BigDecimal(got.toString()).doubleValue();
      return Math.abs(g - d) <= 1e-9 * Math.abs(d);
    }
    if (want instanceof Long || want instanceof Integer || want instanceof BigDecimal) {
      return new BigDecimal(want.toString()).compareTo(new BigDecimal(got.toString())) == 0;
    }
    return want.toString().equals(got.toString());
  }
}
