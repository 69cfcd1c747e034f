package cn.xingan.kpi.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KpiQueryTest {
  private static KpiQuery parse(KpiTable table, String query) {
    return KpiQuery.parse(table, QueryParams.parse(query, KpiQuery.PARAMETERS));
  }

  private static String sql(KpiTable table, String query) {
    return parse(table, query).sql("c");
  }

  @Test
  void theContractsQueryReadsFinalNewestFirstWithTheDefaultLimit() {
    assertThat(sql(KpiTable.SERVICE, "period=week&scope=league"))
        .isEqualTo(
            "SELECT c FROM kpi_service FINAL WHERE period = 'week' AND scope = 'league'"
                + " ORDER BY period_start DESC, scope_key LIMIT 100");
  }

  @Test
  void scopeKeyPeriodStartAndLimitNarrowIt() {
    assertThat(
            sql(
                KpiTable.PROJECT,
                "period=half_month&scope=county&scope_key=horqin-right-front"
                    + "&period_start=2026-06-16&limit=5"))
        .isEqualTo(
            "SELECT c FROM kpi_project FINAL WHERE period = 'half_month' AND scope = 'county'"
                + " AND scope_key = 'horqin-right-front' AND period_start = '2026-06-16'"
                + " ORDER BY period_start DESC, scope_key LIMIT 5");
  }

  @Test
  void aScopeKeyIsAnEscapedLiteral() {
    assertThat(sql(KpiTable.MARKET, "period=month&scope=market&scope_key=x%27+OR+%271%27%3D%271"))
        .contains("scope_key = 'x\\' OR \\'1\\'=\\'1'");
  }

  @Test
  void anEmptyScopeKeyIsTheLeaguesKey() {
    assertThat(sql(KpiTable.SERVICE, "period=year&scope=league&scope_key="))
        .contains("AND scope_key = '' ORDER BY");
  }

  @Test
  void badParametersAre400sNamingTheValueAndWhatIsExpected() {
    assertBad(
        KpiTable.SERVICE,
        "period=fortnight&scope=league",
        "period 'fortnight' is not one of week, half_month, month, quarter, year");
    assertBad(
        KpiTable.SERVICE,
        "scope=league",
        "parameter 'period' is missing; expected one of week, half_month, month, quarter, year");
    assertBad(
        KpiTable.SERVICE,
        "period=week",
        "parameter 'scope' is missing; expected one of league, county, department, service,"
            + " channel");
    assertBad(
        KpiTable.MARKET,
        "period=week&scope=department",
        "scope 'department' is not a scope of kpi_market; expected league, county, market_type,"
            + " market");
    assertBad(
        KpiTable.PROJECT,
        "period=week&scope=league&scope_key=ulanhot",
        "scope_key 'ulanhot' must be empty for scope league");
    assertBad(
        KpiTable.SERVICE,
        "period=week&scope=league&period_start=2026-6-1",
        "period_start '2026-6-1' is not a date; expected YYYY-MM-DD");
    assertBad(
        KpiTable.SERVICE,
        "period=week&scope=league&limit=0",
        "limit '0' must be a whole number from 1 to 1000");
    assertBad(
        KpiTable.SERVICE,
        "period=week&scope=league&limit=1001",
        "limit '1001' must be a whole number from 1 to 1000");
    assertBad(
        KpiTable.SERVICE,
        "period=week&scope=league&limit=ten",
        "limit 'ten' must be a whole number from 1 to 1000");
    assertBad(
        KpiTable.SERVICE,
        "period=week&scope=league&scopekey=x",
        "unknown parameter 'scopekey'; expected period, scope, scope_key, period_start, limit");
  }

  @Test
  void theTableComesFromThePathOrIsA404() {
    assertThat(KpiTable.fromPath("market").table()).isEqualTo("kpi_market");
    assertThatThrownBy(() -> KpiTable.fromPath("markets"))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(404))
        .hasMessageContaining("no KPI table 'markets'");
  }

  private static void assertBad(KpiTable table, String query, String message) {
    assertThatThrownBy(() -> parse(table, query))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining(message);
  }
}
