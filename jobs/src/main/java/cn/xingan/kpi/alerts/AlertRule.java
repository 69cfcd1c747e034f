package cn.xingan.kpi.alerts;

/** The three lagging-project rules of the contract ({@code project_alerts.rule}). */
public enum AlertRule {
  START_OVERDUE("start_overdue"),
  NO_REPORT("no_report"),
  BEHIND_PLAN("behind_plan");

  private final String code;

  AlertRule(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
