package cn.xingan.kpi.local.generate;

/**
 * The four ways a citizen hands in a service request (CONTRACT.md §1 `channel`). Office channels
 * are staffed and only accept during working hours; online requests arrive around the clock.
 */
public enum Channel {
  ONLINE("online", false),
  WINDOW("window", true),
  ONE_STOP_POLICE("one_stop_police", true),
  MAIL("mail", true);

  private final String code;
  private final boolean office;

  Channel(String code, boolean office) {
    this.code = code;
    this.office = office;
  }

  /** The value of the `channel` field. */
  public String code() {
    return code;
  }

  /** Whether a clerk must accept it, i.e. only during working hours. */
  public boolean office() {
    return office;
  }
}
