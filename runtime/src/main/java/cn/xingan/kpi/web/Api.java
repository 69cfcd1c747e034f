package cn.xingan.kpi.web;

import cn.xingan.kpi.sink.ClickHouseHttp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;

/**
 * The JSON API behind the page, as a function from path and query to an answer (rows, or the meta
 * object), so it is tested without an HTTP server in between. Bad input is an {@link ApiError}; a
 * ClickHouse failure is left to the caller, which answers 503.
 */
final class Api {
  private final TableColumns tables;
  private final ZoneId zone;
  private final String clickhouseUrl;

  Api(ClickHouseHttp http, ZoneId zone) {
    this.tables = new TableColumns(http, zone);
    this.zone = zone;
    this.clickhouseUrl = http.endpoint().url();
  }

  Object answer(String path, String rawQuery, Instant now) {
    if (path.equals("/api/meta")) {
      QueryParams.parse(rawQuery, Set.of());
      return PageMeta.at(now, zone);
    }
    if (path.equals("/api/alerts")) {
      AlertQuery q = AlertQuery.parse(QueryParams.parse(rawQuery, AlertQuery.PARAMETERS));
      return tables.rows("project_alerts", q.sql(tables.selectList("project_alerts")));
    }
    if (path.startsWith("/api/kpi/")) {
      KpiTable table = KpiTable.fromPath(path.substring("/api/kpi/".length()));
      KpiQuery q = KpiQuery.parse(table, QueryParams.parse(rawQuery, KpiQuery.PARAMETERS));
      return tables.rows(table.table(), q.sql(tables.selectList(table.table())));
    }
    throw new ApiError(
        404,
        "no API at "
            + path
            + "; expected /api/kpi/{service|market|project}, /api/alerts"
            + " or /api/meta");
  }

  /** The short message a client gets when ClickHouse failed (the log has the full one). */
  String unavailableMessage(ClickHouseHttp.ClickHouseHttpException e) {
    return e.isConnectionFailure()
        ? "ClickHouse at " + clickhouseUrl + " is not reachable; the page retries"
        : "ClickHouse at " + clickhouseUrl + " could not answer (error " + e.errorCode() + ")";
  }
}
