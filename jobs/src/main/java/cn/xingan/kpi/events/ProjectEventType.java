package cn.xingan.kpi.events;

/**
 * The {@code type} of a {@code project-progress} event, in the order events of one instant apply.
 */
public enum ProjectEventType {
  REGISTERED("registered"),
  INVESTMENT("investment"),
  PROGRESS("progress"),
  MILESTONE("milestone");

  private final String code;

  ProjectEventType(String code) {
    this.code = code;
  }

  /** The value of the {@code type} field. */
  public String code() {
    return code;
  }

  /** Whether the event is a report in the sense of the {@code no_report} rule. */
  public boolean isReport() {
    return this != REGISTERED;
  }
}
