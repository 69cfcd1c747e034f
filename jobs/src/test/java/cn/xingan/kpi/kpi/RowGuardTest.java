package cn.xingan.kpi.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.alerts.ProjectAlert;
import cn.xingan.kpi.market.MarketKpiRow;
import cn.xingan.kpi.project.ProjectKpiRow;
import cn.xingan.kpi.service.ServiceKpiRow;
import java.time.LocalDate;
import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.Test;

/**
 * The last check before the sink: each result row names the columns ClickHouse would refuse (with
 * the value and the range), boundary values just inside pass, and the guard counts and drops what
 * fails, naming the event that produced it.
 */
class RowGuardTest {
  private static final LocalDate D = LocalDate.of(2026, 1, 5);

  private static ProjectKpiRow project(long projects, long planned, double progress) {
    return new ProjectKpiRow(
        "week",
        D,
        D.plusDays(6),
        "county",
        "arxan",
        projects,
        planned,
        -500,
        -100,
        1,
        0,
        0,
        0,
        0,
        0,
        progress,
        3,
        true,
        7,
        1_700_000_000_000L);
  }

  @Test
  void projectRowsNameWhatClickHouseWouldRefuse() {
    assertThat(project(0, 0, 0).problems()).isEmpty();
    assertThat(project(Columns.UINT32_MAX, Columns.DECIMAL_18_2_MAX_CENTS, 100).problems())
        .as("the largest values a column holds")
        .isEmpty();
    assertThat(project(-1, -100_000, 0).problems())
        .containsExactly(
            "projects = -1, expected a UInt32 (0 to 4294967295)",
            "planned_year_cny = -100000 fen, expected 0 or more and at most 9999999999999999.99"
                + " yuan in size (Decimal(18,2))");
    assertThat(project(Columns.UINT32_MAX + 1, 0, Double.NaN).problems())
        .hasSize(2)
        .anySatisfy(p -> assertThat(p).startsWith("projects = 4294967296"))
        .anySatisfy(p -> assertThat(p).startsWith("progress_pct_avg = NaN"));
    assertThat(project(0, Columns.DECIMAL_18_2_MAX_CENTS + 1, 0).problems()).hasSize(1);
  }

  @Test
  void serviceMarketAndAlertRowsAreCheckedToo() {
    ServiceKpiRow service =
        new ServiceKpiRow(
            "week",
            D,
            D.plusDays(6),
            "league",
            "",
            1,
            -1,
            0,
            0,
            0,
            0,
            Double.POSITIVE_INFINITY,
            0,
            0,
            0,
            0,
            0,
            1,
            false,
            2,
            0);
    assertThat(service.problems())
        .containsExactly(
            "completed = -1, expected a UInt64 (0 or more)",
            "processing_hours_sum = Infinity, expected a finite number, 0 or more");
    MarketKpiRow market =
        new MarketKpiRow(
            "week",
            LocalDate.of(2150, 1, 1),
            D,
            "league",
            "",
            1,
            1,
            1,
            1,
            1,
            1,
            0,
            0,
            0,
            0,
            1,
            false,
            2,
            0);
    assertThat(market.problems())
        .containsExactly(
            "period_start = 2150-01-01, expected a Date from 1970-01-01 to 2149-06-06");
    ProjectAlert alert =
        new ProjectAlert(
            "P:no_report:2026-01-05",
            "P",
            "p",
            "arxan",
            "dairy",
            "no_report",
            "warning",
            "resolved",
            1_000_000,
            999_000,
            "d",
            0,
            0,
            false);
    assertThat(alert.problems())
        .containsExactly(
            "version = 0, expected 1 or more", "resolved_at 999000 is before opened_at 1000000");
  }

  @Test
  void theGuardCountsAndDropsAnInvalidRowNamingTheEvent() {
    SimpleCounter invalid = new SimpleCounter();
    RowGuard<ProjectKpiRow> guard = new RowGuard<>("kpi_project", ProjectKpiRow::problems, invalid);
    assertThat(guard.admits(project(1, 100, 50), "event e-1")).isTrue();
    assertThat(invalid.getCount()).isZero();
    ProjectKpiRow bad = project(-1, 100, 50);
    assertThat(guard.admits(bad, "event e-2 of project P")).isFalse();
    assertThat(invalid.getCount()).isOne();
    assertThat(guard.message(bad, bad.problems(), "event e-2 of project P"))
        .contains("kpi_project", "projects = -1", "event e-2 of project P", "scopeKey=arxan");
  }
}
