package cn.xingan.kpi.web;

import cn.xingan.kpi.kpi.ScopeKey;
import cn.xingan.kpi.periods.PeriodKind;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code GET /api/kpi/{table}?period=P&scope=S[&scope_key=K][&period_start=D][&limit=N]}, checked:
 * the rows of one table, FINAL, for one period kind and scope (and key), newest {@code
 * period_start} first, then by {@code scope_key}. {@code period_start} (a local date) picks one
 * period, e.g. this week; {@code limit} bounds the answer (default {@value #DEFAULT_LIMIT}, at most
 * {@value #MAX_LIMIT}).
 */
record KpiQuery(
    KpiTable table,
    PeriodKind period,
    String scope,
    String scopeKey,
    LocalDate periodStart,
    int limit) {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  static final Set<String> PARAMETERS =
      new LinkedHashSet<>(List.of("period", "scope", "scope_key", "period_start", "limit"));

  private static final String PERIODS =
      Arrays.stream(PeriodKind.values()).map(PeriodKind::code).collect(Collectors.joining(", "));

  static KpiQuery parse(KpiTable table, QueryParams p) {
    String periodText = p.required("period", "one of " + PERIODS);
    PeriodKind period;
    try {
      period = PeriodKind.fromCode(periodText);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("period '" + periodText + "' is not one of " + PERIODS);
    }
    String scopes = String.join(", ", table.scopes());
    String scope = p.required("scope", "one of " + scopes);
    if (!table.scopes().contains(scope)) {
      throw ApiError.badRequest(
          "scope '" + scope + "' is not a scope of " + table.table() + "; expected " + scopes);
    }
    String key = p.get("scope_key").orElse(null);
    if (scope.equals(ScopeKey.LEAGUE) && key != null && !key.isEmpty()) {
      throw ApiError.badRequest(
          "scope_key '" + key + "' must be empty for scope league (the whole League)");
    }
    return new KpiQuery(
        table,
        period,
        scope,
        key,
        p.get("period_start").map(KpiQuery::date).orElse(null),
        p.intIn("limit", 1, MAX_LIMIT, DEFAULT_LIMIT));
  }

  /** The statement, selecting {@code columns} (a select list from {@link TableColumns}). */
  String sql(String columns) {
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(columns)
            .append(" FROM ")
            .append(table.table())
            .append(" FINAL WHERE period = ")
            .append(SqlText.literal("period", period.code()))
            .append(" AND scope = ")
            .append(SqlText.literal("scope", scope));
    if (scopeKey != null) {
      sql.append(" AND scope_key = ").append(SqlText.literal("scope_key", scopeKey));
    }
    if (periodStart != null) {
      sql.append(" AND period_start = '").append(periodStart).append('\'');
    }
    return sql.append(" ORDER BY period_start DESC, scope_key LIMIT ").append(limit).toString();
  }

  private static LocalDate date(String text) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw ApiError.badRequest(
          "period_start '" + text + "' is not a date; expected YYYY-MM-DD, e.g. 2026-06-01");
    }
  }
}
