package cn.xingan.kpi.events;

/** Whether a market was open when it reported ({@code status} of {@code market-stall-counts}). */
public enum MarketStatus {
  OPERATING("operating"),
  UPGRADING("upgrading"),
  CLOSED("closed");

  private final String code;

  MarketStatus(String code) {
    this.code = code;
  }

  /** The {@code status} value, e.g. {@code upgrading}. */
  public String code() {
    return code;
  }
}
