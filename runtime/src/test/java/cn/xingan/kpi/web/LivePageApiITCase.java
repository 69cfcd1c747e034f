package cn.xingan.kpi.web;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.config.ClickHouseEndpoint;
import cn.xingan.kpi.sink.ClickHouseHttp;
import cn.xingan.kpi.testing.ClickHouseExtension;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The page's JSON API against a real ClickHouse with the project's schema: rows inserted in several
 * versions (rolling, then final) must come back FINAL, newest period first, keyed by the table's
 * column names; bad parameters are 400s naming the value; a ClickHouse that is not there is a 503
 * without a stack trace. Expected values are the inserted literals.
 */
class LivePageApiITCase {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @RegisterExtension static final ClickHouseExtension CLICKHOUSE = new ClickHouseExtension();

  private static LivePage page;

  @BeforeAll
  static void start() throws IOException {
    insertRows(CLICKHOUSE.http());
    page = LivePage.start(new InetSocketAddress("127.0.0.1", 0), CLICKHOUSE.endpoint(), ZONE);
  }

  @AfterAll
  static void stop() {
    if (page != null) {
      page.close();
    }
  }

  /**
   * kpi_service, league, weeks: 05-25 final (v3); 06-01 rolling v4, rolling v6, final v7 (written
   * in that order, and the final one before a late stale rolling copy of v6); 06-08 rolling v10.
   * Counties ulanhot and arxan for 06-01, and one half-month row that a week query must not see.
   */
  private static void insertRows(ClickHouseHttp ch) {
    // Every version stays stored as its own row: only FINAL can pick the latest.
    for (String table : List.of("kpi_service", "kpi_project", "project_alerts")) {
      ch.execute("SYSTEM STOP MERGES " + table);
    }
    service(ch, "week", "2026-05-25", "2026-05-31", "league", "", 10, 9, 1, 3, 1780000000L);
    service(ch, "week", "2026-06-01", "2026-06-07", "league", "", 20, 15, 0, 4, 1780300000L);
    service(ch, "week", "2026-06-01", "2026-06-07", "league", "", 30, 25, 0, 6, 1780300100L);
    service(ch, "week", "2026-06-01", "2026-06-07", "league", "", 40, 38, 1, 7, 1780300200L);
    service(ch, "week", "2026-06-01", "2026-06-07", "league", "", 30, 25, 0, 6, 1780300300L);
    service(ch, "week", "2026-06-08", "2026-06-14", "league", "", 50, 44, 0, 10, 1780900000L);
    service(ch, "week", "2026-06-01", "2026-06-07", "county", "ulanhot", 25, 24, 1, 5, 1780300000L);
    service(ch, "week", "2026-06-01", "2026-06-07", "county", "arxan", 15, 14, 1, 3, 1780300000L);
    service(ch, "half_month", "2026-06-01", "2026-06-15", "league", "", 90, 80, 0, 8, 1780900000L);
    ch.execute(
        "INSERT INTO kpi_project (period, period_start, period_end, scope, scope_key, projects,"
            + " planned_year_cny, investment_cny, investment_ytd_cny, events, is_final, version,"
            + " updated_at) VALUES ('year', '2026-01-01', '2026-12-31', 'county', 'ulanhot', 3,"
            + " 27200000000.00, 123456789.01, 9876543210.99, 40, 0, 80, toDateTime(1780300000))");
    // alert A: opened, then resolved; B: opened warning, then critical; C: open.
    alert(ch, "A", "ulanhot", "warning", "open", 1780000000L, 0, 1);
    alert(ch, "A", "ulanhot", "warning", "resolved", 1780000000L, 1780500000L, 2);
    alert(ch, "B", "arxan", "warning", "open", 1780100000L, 0, 1);
    alert(ch, "B", "arxan", "critical", "open", 1780100000L, 0, 2);
    alert(ch, "C", "ulanhot", "warning", "open", 1780200000L, 0, 1);
  }

  private static void service(
      ClickHouseHttp ch,
      String period,
      String start,
      String end,
      String scope,
      String key,
      long completed,
      long onTime,
      int isFinal,
      long version,
      long updatedAt) {
    ch.execute(
        String.format(
            "INSERT INTO kpi_service (period, period_start, period_end, scope, scope_key,"
                + " accepted, completed, completed_on_time, processing_hours_sum, events,"
                + " is_final, version, updated_at) VALUES ('%s', '%s', '%s', '%s', '%s', %d, %d,"
                + " %d, %d.5, %d, %d, %d, toDateTime(%d))",
            period,
            start,
            end,
            scope,
            key,
            completed + 1,
            completed,
            onTime,
            completed * 3,
            version / 2,
            isFinal,
            version,
            updatedAt));
  }

  private static void alert(
      ClickHouseHttp ch,
      String id,
      String county,
      String severity,
      String status,
      long opened,
      long resolved,
      long version) {
    ch.execute(
        String.format(
            "INSERT INTO project_alerts (alert_id, project_id, project_name, county, chain, rule,"
                + " severity, status, opened_at, resolved_at, detail, version, updated_at) VALUES"
                + " ('%s', 'P-%s', '项目 %s', '%s', 'dairy', 'behind_plan', '%s', '%s',"
                + " toDateTime(%d), toDateTime(%d), 'YTD 1,000 of 2,000 yuan', %d,"
                + " toDateTime(%d))",
            id, id, id, county, severity, status, opened, resolved, version, opened + version));
  }

  @Test
  void theTablesHoldSeveralVersionsOfAKey() {
    assertThat(
            CLICKHOUSE
                .http()
                .query(
                    "SELECT count() FROM kpi_service WHERE period = 'week' AND scope = 'league'"
                        + " AND period_start = '2026-06-01'")
                .trim())
        .isEqualTo("4");
  }

  @Test
  void weeksOfTheLeagueComeBackFinalNewestFirstKeyedByColumnName() throws Exception {
    JsonNode rows = get("/api/kpi/service?period=week&scope=league", 200);
    assertThat(rows).hasSize(3);
    assertThat(texts(rows, "period_start"))
        .containsExactly("2026-06-08", "2026-06-01", "2026-05-25");
    assertThat(longs(rows, "version")).containsExactly(10L, 7L, 3L);
    JsonNode june1 = rows.get(1);
    assertThat(june1.get("completed").asLong()).isEqualTo(40);
    assertThat(june1.get("completed_on_time").asLong()).isEqualTo(38);
    assertThat(june1.get("accepted").asLong()).isEqualTo(41);
    assertThat(june1.get("is_final").asInt()).isEqualTo(1);
    assertThat(june1.get("processing_hours_sum").decimalValue())
        .isEqualByComparingTo(new BigDecimal("120.5"));
    assertThat(june1.get("period_end").asText()).isEqualTo("2026-06-07");
    assertThat(june1.get("scope_key").asText()).isEmpty();
    // 1780300200 = 2026-06-01T07:50:00Z = 15:50 in Shanghai
    assertThat(june1.get("updated_at").asText()).isEqualTo("2026-06-01T15:50:00+08:00");
    List<String> columns = new ArrayList<>();
    june1.fieldNames().forEachRemaining(columns::add);
    assertThat(columns)
        .containsExactly(
            "period",
            "period_start",
            "period_end",
            "scope",
            "scope_key",
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
            "version",
            "updated_at");
  }

  @Test
  void scopeKeyPeriodStartAndLimitNarrowTheRows() throws Exception {
    JsonNode counties = get("/api/kpi/service?period=week&scope=county", 200);
    assertThat(texts(counties, "scope_key")).containsExactly("arxan", "ulanhot");
    JsonNode arxan = get("/api/kpi/service?period=week&scope=county&scope_key=arxan", 200);
    assertThat(longs(arxan, "completed")).containsExactly(15L);
    JsonNode one = get("/api/kpi/service?period=week&scope=league&period_start=2026-06-01", 200);
    assertThat(longs(one, "version")).containsExactly(7L);
    assertThat(longs(get("/api/kpi/service?period=week&scope=league&limit=1", 200), "version"))
        .containsExactly(10L);
    assertThat(longs(get("/api/kpi/service?period=half_month&scope=league", 200), "version"))
        .containsExactly(8L);
  }

  @Test
  void valuesWithQuotesOrBackslashesAreDataNotSql() throws Exception {
    assertThat(
            get("/api/kpi/service?period=week&scope=county&scope_key=x%27+OR+%271%27%3D%271", 200))
        .isEmpty();
    assertThat(get("/api/kpi/service?period=week&scope=county&scope_key=a%5C", 200)).isEmpty();
    assertThat(get("/api/alerts?county=%27%29+OR+1%3D1+--+", 200)).isEmpty();
  }

  @Test
  void projectMoneyIsExactYuan() throws Exception {
    JsonNode rows = get("/api/kpi/project?period=year&scope=county&scope_key=ulanhot", 200);
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get("planned_year_cny").decimalValue())
        .isEqualByComparingTo(new BigDecimal("27200000000.00"));
    assertThat(rows.get(0).get("investment_cny").decimalValue())
        .isEqualByComparingTo(new BigDecimal("123456789.01"));
    assertThat(rows.get(0).get("investment_ytd_cny").decimalValue())
        .isEqualByComparingTo(new BigDecimal("9876543210.99"));
    assertThat(get("/api/kpi/market?period=week&scope=market_type", 200)).isEmpty();
  }

  @Test
  void alertsComeInTheirLatestStateOpenOnesWithoutAResolvedTime() throws Exception {
    JsonNode open = get("/api/alerts?status=open", 200);
    assertThat(texts(open, "alert_id")).containsExactly("C", "B");
    assertThat(open.get(1).get("severity").asText()).isEqualTo("critical");
    assertThat(open.get(1).get("version").asLong()).isEqualTo(2);
    assertThat(open.get(1).get("resolved_at").isNull()).isTrue();
    // 1780100000 = 2026-05-30T00:13:20Z
    assertThat(open.get(1).get("opened_at").asText()).isEqualTo("2026-05-30T08:13:20+08:00");
    assertThat(open.get(1).get("project_name").asText()).isEqualTo("项目 B");
    JsonNode resolved = get("/api/alerts?status=resolved", 200);
    assertThat(texts(resolved, "alert_id")).containsExactly("A");
    // 1780500000 = 2026-06-03T15:20:00Z
    assertThat(resolved.get(0).get("resolved_at").asText()).isEqualTo("2026-06-03T23:20:00+08:00");
    assertThat(texts(get("/api/alerts", 200), "alert_id")).containsExactly("C", "B", "A");
    assertThat(texts(get("/api/alerts?status=open&county=ulanhot", 200), "alert_id"))
        .containsExactly("C");
  }

  @Test
  void badRequestsAreAnsweredWithTheProblemNamed() throws Exception {
    assertError(
        "/api/kpi/service?period=fortnight&scope=league",
        400,
        "period 'fortnight' is not one of week, half_month, month, quarter, year");
    assertError(
        "/api/kpi/market?period=week&scope=channel",
        400,
        "scope 'channel' is not a scope of kpi_market");
    assertError(
        "/api/kpi/service?period=week&scope=league&limit=5000",
        400,
        "limit '5000' must be a whole number from 1 to 1000");
    assertError("/api/alerts?status=closed", 400, "status 'closed' is not one of open, resolved");
    assertError("/api/kpi/transactions?period=week&scope=league", 404, "no KPI table");
    assertError("/api/meta?x=1", 400, "unknown parameter 'x'");
    assertError("/nothing-here", 404, "no page at /nothing-here");
    HttpResponse<String> post =
        CLIENT.send(
            HttpRequest.newBuilder(page.url().resolve("/api/alerts"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void thePageAndEChartsAreServedFromTheJar() throws Exception {
    HttpResponse<String> index = send(page.url().resolve("/"));
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(index.body()).contains("/app.js", "/vendor/echarts.min.js");
    HttpResponse<String> echarts = send(page.url().resolve("/vendor/echarts.min.js"));
    assertThat(echarts.statusCode()).isEqualTo(200);
    assertThat(echarts.body()).hasSizeGreaterThan(500_000).contains("echarts");
  }

  @Test
  void aClickHouseThatIsNotThereIsA503WithAShortMessage() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    ClickHouseEndpoint nowhere =
        new ClickHouseEndpoint("http://127.0.0.1:" + closed, "default", "", "kpi");
    try (LivePage down = LivePage.start(new InetSocketAddress("127.0.0.1", 0), nowhere, ZONE)) {
      HttpResponse<String> r =
          send(down.url().resolve("/api/kpi/service?period=week&scope=league"));
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(JSON.readTree(r.body()).get("error").asText())
          .isEqualTo(
              "ClickHouse at http://127.0.0.1:" + closed + " is not reachable; the page retries");
      assertThat(r.body()).doesNotContain("Exception", "\tat ", "SELECT");
      assertThat(send(down.url().resolve("/api/meta")).statusCode()).isEqualTo(200);
    }
  }

  private static void assertError(String path, int status, String message) throws Exception {
    HttpResponse<String> r = send(page.url().resolve(path));
    assertThat(r.statusCode()).as(path).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    assertThat(JSON.readTree(r.body()).get("error").asText()).as(path).contains(message);
    assertThat(r.body()).doesNotContain("Exception", "\tat ");
  }

  private static JsonNode get(String path, int status) throws Exception {
    HttpResponse<String> r = send(page.url().resolve(path));
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(status);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.isArray()).as(path).isTrue();
    return body;
  }

  private static HttpResponse<String> send(URI uri) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> texts(JsonNode rows, String column) {
    List<String> out = new ArrayList<>();
    rows.forEach(r -> out.add(r.get(column).asText()));
    return out;
  }

  private static List<Long> longs(JsonNode rows, String column) {
    List<Long> out = new ArrayList<>();
    rows.forEach(r -> out.add(r.get(column).asLong()));
    return out;
  }
}
