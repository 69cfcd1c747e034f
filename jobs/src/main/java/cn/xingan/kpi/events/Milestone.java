package cn.xingan.kpi.events;

/** The five construction milestones of the contract (开工, 过半, 试运行, 投产, 竣工). */
public enum Milestone {
  CONSTRUCTION_STARTED("construction_started"),
  HALF_COMPLETE("half_complete"),
  TRIAL_RUN("trial_run"),
  IN_PRODUCTION("in_production"),
  COMPLETED("completed");

  private final String code;

  Milestone(String code) {
    this.code = code;
  }

  /** The value of the {@code milestone} field. */
  public String code() {
    return code;
  }
}
