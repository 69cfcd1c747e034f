package cn.xingan.kpi.web;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /api/alerts[?status=open|resolved][&county=C][&limit=N]}, checked: the alerts of
 * {@code project_alerts} in their latest state (FINAL), newest {@code opened_at} first; without
 * {@code status}, open and resolved ones. {@code limit}: default {@value #DEFAULT_LIMIT}, at most
 * {@value #MAX_LIMIT}.
 */
record AlertQuery(String status, String county, int limit) {
  static final int DEFAULT_LIMIT = 200;
  static final int MAX_LIMIT = 1000;
  static final Set<String> PARAMETERS = new LinkedHashSet<>(List.of("status", "county", "limit"));
  private static final List<String> STATUSES = List.of("open", "resolved");

  static AlertQuery parse(QueryParams p) {
    String status = p.get("status").orElse(null);
    if (status != null && !STATUSES.contains(status)) {
      throw ApiError.badRequest(
          "status '" + status + "' is not one of open, resolved (leave it out for both)");
    }
    return new AlertQuery(
        status, p.get("county").orElse(null), p.intIn("limit", 1, MAX_LIMIT, DEFAULT_LIMIT));
  }

  /**
   * The statement. The filters are in WHERE, which ClickHouse applies after FINAL picks each
   * alert's latest version (PREWHERE would filter first and could find a stale "open" row).
   */
  String sql(String columns) {
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(columns)
            // a withdrawn alert should never have opened (a late event showed it): not shown
            .append(" FROM project_alerts FINAL WHERE withdrawn = 0");
    String joiner = " AND ";
    if (status != null) {
      sql.append(joiner).append("status = ").append(SqlText.literal("status", status));
      joiner = " AND ";
    }
    if (county != null) {
      sql.append(joiner).append("county = ").append(SqlText.literal("county", county));
    }
    return sql.append(" ORDER BY opened_at DESC, alert_id LIMIT ").append(limit).toString();
  }
}
