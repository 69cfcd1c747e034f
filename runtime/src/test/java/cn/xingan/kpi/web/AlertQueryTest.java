package cn.xingan.kpi.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AlertQueryTest {
  private static String sql(String query) {
    return AlertQuery.parse(QueryParams.parse(query, AlertQuery.PARAMETERS)).sql("c");
  }

  @Test
  void openAlertsAreFilteredAfterFinal() {
    assertThat(sql("status=open"))
        .isEqualTo(
            "SELECT c FROM project_alerts FINAL WHERE withdrawn = 0 AND status = 'open'"
                + " ORDER BY opened_at DESC, alert_id LIMIT 200");
  }

  @Test
  void withoutStatusEveryAlertButTheWithdrawnAndACountyFilter() {
    assertThat(sql(""))
        .isEqualTo(
            "SELECT c FROM project_alerts FINAL WHERE withdrawn = 0"
                + " ORDER BY opened_at DESC, alert_id LIMIT 200");
    assertThat(sql("county=dev-zone&limit=3"))
        .isEqualTo(
            "SELECT c FROM project_alerts FINAL WHERE withdrawn = 0 AND county = 'dev-zone'"
                + " ORDER BY opened_at DESC, alert_id LIMIT 3");
  }

  @Test
  void anUnknownStatusIsA400() {
    assertThatThrownBy(() -> sql("status=closed"))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage("status 'closed' is not one of open, resolved (leave it out for both)");
  }
}
