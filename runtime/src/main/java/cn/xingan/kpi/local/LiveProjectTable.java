package cn.xingan.kpi.local;

import cn.xingan.kpi.local.generate.County;
import cn.xingan.kpi.periods.Period;
import cn.xingan.kpi.periods.PeriodKind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The project part of the quickstart's live view: this half month, month and year for the League
 * (projects, plan, investment against it, reports, milestones, progress), the year per area, and
 * the open lagging-project alerts, critical first. Built from {@code kpi_project} rows ({@link
 * #ROWS}) and open alerts ({@link #ALERTS}) read over HTTP; rendering is a pure function of them
 * and the wall time, so it is tested without ClickHouse. Money in 亿元 (100 million yuan), the unit
 * of the League's reports.
 */
public final class LiveProjectTable {

  /** The kpi_project rows the table needs; {@code today()} keeps one day of slack for the zone. */
  public static final String ROWS =
      "SELECT period, toString(period_start) AS period_start, scope, scope_key, projects,"
          + " toString(planned_year_cny) AS planned, toString(investment_cny) AS investment,"
          + " toString(investment_ytd_cny) AS ytd, projects_reporting, started, completed,"
          + " progress_pct_avg, is_final, version FROM kpi_project FINAL"
          + " WHERE scope IN ('league', 'county') AND period IN ('half_month', 'month', 'year')"
          + " AND period_end >= today() - 1";

  /** The open alerts, critical first, oldest first. */
  public static final String ALERTS =
      "SELECT alert_id, severity, rule, county, project_id, project_name,"
          + " toUnixTimestamp(opened_at) AS opened, detail FROM project_alerts FINAL"
          + " WHERE status = 'open' AND withdrawn = 0 ORDER BY severity = 'critical' DESC, opened_at, alert_id";

  private static final String ROW = "%-22s%9s%10s%10s%10s%8s%8s%8s%6s%9s%n";
  private static final BigDecimal HUNDRED_MILLION = new BigDecimal("100000000");
  private static final int ALERT_LINES = 8;

  private final ZoneId zone;

  public LiveProjectTable(ZoneId zone) {
    if (zone == null) {
      throw new IllegalArgumentException("zone must not be null");
    }
    this.zone = zone;
  }

  /** The text to print for the rows and open alerts at wall time {@code now}. */
  public String render(
      List<Map<String, Object>> rows, List<Map<String, Object>> openAlerts, Instant now) {
    Map<String, Map<String, Object>> latest = new HashMap<>();
    for (Map<String, Object> r : rows) {
      latest.merge(id(r), r, (a, b) -> whole(a, "version") >= whole(b, "version") ? a : b);
    }
    LocalDate today = now.atZone(zone).toLocalDate();
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%nMajor projects (amounts in 100 million yuan)%n"));
    out.append(
        String.format(
            Locale.ROOT,
            ROW,
            "",
            "projects",
            "plan",
            "invested",
            "this year",
            "of plan",
            "report",
            "started",
            "done",
            "progress"));
    for (PeriodKind kind : List.of(PeriodKind.HALF_MONTH, PeriodKind.MONTH, PeriodKind.YEAR)) {
      Period p = kind.of(today);
      String label = kind.code() + " from " + p.start().toString().substring(5);
      line(out, label, latest.get(key(kind.code(), p.start(), "league", "")));
    }
    LocalDate year = PeriodKind.YEAR.of(today).start();
    Map<Integer, Map<String, Object>> areas = new TreeMap<>();
    for (Map<String, Object> r : latest.values()) {
      if ("county".equals(r.get("scope"))
          && "year".equals(r.get("period"))
          && year.toString().equals(r.get("period_start"))) {
        areas.put(areaOrder((String) r.get("scope_key")) * 1000 + areas.size(), r);
      }
    }
    for (Map<String, Object> r : areas.values()) {
      line(out, "  " + r.get("scope_key"), r);
    }
    alerts(out, openAlerts);
    return out.toString();
  }

  private void alerts(StringBuilder out, List<Map<String, Object>> open) {
    Map<String, Integer> byRule = new TreeMap<>();
    int critical = 0;
    for (Map<String, Object> a : open) {
      byRule.merge((String) a.get("rule"), 1, Integer::sum);
      critical += "critical".equals(a.get("severity")) ? 1 : 0;
    }
    StringBuilder rules = new StringBuilder();
    byRule.forEach(
        (rule, n) -> rules.append(rules.isEmpty() ? "" : ", ").append(rule).append(' ').append(n));
    out.append(
        String.format(
            Locale.ROOT,
            "Open alerts: %d (critical %d)%s%n",
            open.size(),
            critical,
            rules.isEmpty() ? "" : ": " + rules));
    DateTimeFormatter day = DateTimeFormatter.ofPattern("MM-dd");
    for (Map<String, Object> a : open.subList(0, Math.min(ALERT_LINES, open.size()))) {
      String opened = day.format(Instant.ofEpochSecond(whole(a, "opened")).atZone(zone));
      String detail = (String) a.get("detail");
      out.append(
          String.format(
              Locale.ROOT,
              "  %-8s %-13s %-19s %-12s %s%n",
              a.get("severity"),
              a.get("rule"),
              a.get("county"),
              "since " + opened,
              detail.length() > 110 ? detail.substring(0, 110) + "..." : detail));
    }
    if (open.size() > ALERT_LINES) {
      out.append(
          String.format(
              Locale.ROOT,
              "  ... and %d more: SELECT * FROM project_alerts_open%n",
              open.size() - ALERT_LINES));
    }
  }

  private static void line(StringBuilder out, String label, Map<String, Object> r) {
    if (r == null) {
      out.append(String.format(Locale.ROOT, "%-22s%s%n", label, "  no project events yet"));
      return;
    }
    BigDecimal planned = new BigDecimal((String) r.get("planned"));
    BigDecimal ytd = new BigDecimal((String) r.get("ytd"));
    out.append(
        String.format(
            Locale.ROOT,
            ROW,
            label,
            whole(r, "projects"),
            hundredMillions(planned),
            hundredMillions(new BigDecimal((String) r.get("investment"))),
            hundredMillions(ytd),
            planned.signum() == 0
                ? "-"
                : ytd.multiply(BigDecimal.valueOf(100)).divide(planned, 1, RoundingMode.HALF_UP)
                    + "%",
            whole(r, "projects_reporting"),
            whole(r, "started"),
            whole(r, "completed"),
            String.format(
                Locale.ROOT, "%.1f%%", ((Number) r.get("progress_pct_avg")).doubleValue())));
  }

  private static String hundredMillions(BigDecimal yuan) {
    return yuan.divide(HUNDRED_MILLION, 2, RoundingMode.HALF_UP).toPlainString();
  }

  private static String id(Map<String, Object> r) {
    return r.get("period")
        + "|"
        + r.get("period_start")
        + "|"
        + r.get("scope")
        + "|"
        + r.get("scope_key");
  }

  private static String key(String period, LocalDate start, String scope, String scopeKey) {
    return period + "|" + start + "|" + scope + "|" + scopeKey;
  }

  private static long whole(Map<String, Object> r, String column) {
    Object v = r.get(column);
    if (v == null) {
      return 0;
    }
    return v instanceof Number n ? n.longValue() : Long.parseLong(v.toString());
  }

  private static int areaOrder(String county) {
    for (int i = 0; i < County.ALL.size(); i++) {
      if (County.ALL.get(i).code().equals(county)) {
        return i;
      }
    }
    return County.ALL.size();
  }
}
