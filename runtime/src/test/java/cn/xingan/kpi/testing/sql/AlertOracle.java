package cn.xingan.kpi.testing.sql;

import cn.xingan.kpi.sink.ClickHouseHttp;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The project alerts as the job left them (project_alerts FINAL, read plainly), and the figures the
 * lagging views and the alert rules should give, computed here in Java from those rows. The rules
 * that open and resolve alerts are the job's and are tested elsewhere; this checks what the SQL
 * makes of the alerts.
 */
final class AlertOracle {
  /** One alert in its latest state; times in epoch seconds, resolved 0 while open. */
  record Alert(
      String projectId,
      String county,
      String chain,
      String rule,
      String severity,
      boolean open,
      long opened,
      long resolved) {
    boolean openAt(long t) {
      return opened <= t && (open || resolved > t);
    }
  }

  final List<Alert> alerts;

  AlertOracle(ClickHouseHttp http) {
    alerts =
        http
            .queryJson(
                "SELECT project_id, county, chain, rule, severity, status,"
                    + " toUnixTimestamp(opened_at) AS opened, toUnixTimestamp(resolved_at) AS resolved"
                    + " FROM project_alerts FINAL")
            .stream()
            .map(
                r ->
                    new Alert(
                        (String) r.get("project_id"),
                        (String) r.get("county"),
                        (String) r.get("chain"),
                        (String) r.get("rule"),
                        (String) r.get("severity"),
                        r.get("status").equals("open"),
                        ((Number) r.get("opened")).longValue(),
                        ((Number) r.get("resolved")).longValue()))
            .toList();
  }

  List<Alert> open() {
    return alerts.stream().filter(Alert::open).toList();
  }

  /** Open alerts per key (e.g. county), counting those that match. */
  Map<String, Long> openCount(Function<Alert, String> key, Predicate<Alert> which) {
    Map<String, Long> counts = new TreeMap<>();
    open().stream().filter(which).forEach(a -> counts.merge(key.apply(a), 1L, Long::sum));
    return counts;
  }

  /** Distinct projects with an open alert, per key. */
  Map<String, Long> laggingProjects(Function<Alert, String> key) {
    Map<String, Set<String>> projects = new TreeMap<>();
    open()
        .forEach(
            a -> projects.computeIfAbsent(key.apply(a), k -> new TreeSet<>()).add(a.projectId()));
    Map<String, Long> counts = new TreeMap<>();
    projects.forEach((k, v) -> counts.put(k, (long) v.size()));
    return counts;
  }

  /** Per county: alerts open at {@code to} minus alerts open at {@code from}. */
  Map<String, Long> rise(long from, long to) {
    Map<String, Long> rise = new TreeMap<>();
    for (Alert a : alerts) {
      long delta = (a.openAt(to) ? 1 : 0) - (a.openAt(from) ? 1 : 0);
      rise.merge(a.county(), delta, Long::sum);
    }
    return rise;
  }
}
