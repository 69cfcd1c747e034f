package cn.xingan.kpi.web;

import cn.xingan.kpi.kpi.ScopeKey;
import cn.xingan.kpi.market.MarketScopes;
import cn.xingan.kpi.project.ProjectScopes;
import cn.xingan.kpi.service.ServiceScopes;
import java.util.List;

/**
 * The three KPI tables the API serves ({@code /api/kpi/service} and so on) and the scopes each one
 * has: the whitelist that decides which {@code scope} values reach SQL at all.
 */
enum KpiTable {
  SERVICE(
      "service",
      "kpi_service",
      List.of(
          ScopeKey.LEAGUE,
          ServiceScopes.COUNTY,
          ServiceScopes.DEPARTMENT,
          ServiceScopes.SERVICE,
          ServiceScopes.CHANNEL)),
  MARKET(
      "market",
      "kpi_market",
      List.of(ScopeKey.LEAGUE, MarketScopes.COUNTY, MarketScopes.MARKET_TYPE, MarketScopes.MARKET)),
  PROJECT(
      "project",
      "kpi_project",
      List.of(
          ScopeKey.LEAGUE,
          ProjectScopes.COUNTY,
          ProjectScopes.CHAIN,
          ProjectScopes.LIST,
          ProjectScopes.PROJECT));

  private final String path;
  private final String table;
  private final List<String> scopes;

  KpiTable(String path, String table, List<String> scopes) {
    this.path = path;
    this.table = table;
    this.scopes = scopes;
  }

  /** The ClickHouse table, e.g. {@code kpi_service}. */
  String table() {
    return table;
  }

  List<String> scopes() {
    return scopes;
  }

  /** The table of {@code /api/kpi/<path>}; a 404 naming the path and the three there are. */
  static KpiTable fromPath(String path) {
    for (KpiTable t : values()) {
      if (t.path.equals(path)) {
        return t;
      }
    }
    throw new ApiError(
        404, "no KPI table '" + path + "'; expected /api/kpi/service, /market or /project");
  }
}
