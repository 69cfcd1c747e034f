package cn.xingan.kpi.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * The options of the project stream: how long events of an unregistered project wait for its
 * registration, and the thresholds of the lagging-project rules (CONTRACT.md §3, {@code
 * project_alerts}), with the contract's defaults.
 *
 * @param registrationWait event time an unregistered project's events wait for its registration
 * @param startOverdueDays {@code start_overdue} opens at 00:00 of {@code planned_start} + this
 * @param noReportAfter {@code no_report} opens this long after the last report (or registration)
 * @param behindPlanPct {@code behind_plan} opens below this percentage of the expected investment
 * @param behindPlanCriticalPct ... and is {@code critical} below this one
 */
public record ProjectOptions(
    Duration registrationWait,
    int startOverdueDays,
    Duration noReportAfter,
    int behindPlanPct,
    int behindPlanCriticalPct)
    implements Serializable {

  public ProjectOptions {
    if (registrationWait.isNegative() || noReportAfter.isNegative() || noReportAfter.isZero()) {
      throw new IllegalArgumentException(
          "--registration-wait "
              + registrationWait
              + " must be >= 0 and --no-report-after "
              + noReportAfter
              + " > 0");
    }
    if (startOverdueDays < 0) {
      throw new IllegalArgumentException(
          "--start-overdue-days " + startOverdueDays + " must be a whole number >= 0");
    }
    if (behindPlanPct < 1 || behindPlanPct > 100) {
      throw new IllegalArgumentException(
          "--behind-plan-pct " + behindPlanPct + " must be a whole number from 1 to 100");
    }
    if (behindPlanCriticalPct < 0 || behindPlanCriticalPct > behindPlanPct) {
      throw new IllegalArgumentException(
          "--behind-plan-critical-pct "
              + behindPlanCriticalPct
              + " must be a whole number from 0 to --behind-plan-pct "
              + behindPlanPct);
    }
  }

  /** The contract's defaults: 1 day, 7 days, 14 days, 80 %, 50 %. */
  public static ProjectOptions defaults() {
    return new ProjectOptions(Duration.ofDays(1), 7, Duration.ofDays(14), 80, 50);
  }
}
