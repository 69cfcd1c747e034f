package cn.xingan.kpi.events;

/**
 * The kind of a market ({@code market_type}): evening, morning and farmers' markets are the
 * League's "morning/evening markets" (早晚市), {@code gig} the gig-work markets (零工市场). The code is
 * both the wire value and the {@code market_type} scope key.
 */
public enum MarketType {
  NIGHT("night"),
  MORNING("morning"),
  MORNING_EVENING("morning_evening"),
  FARMERS("farmers"),
  GIG("gig");

  private final String code;

  MarketType(String code) {
    this.code = code;
  }

  /** The {@code market_type} value, e.g. {@code morning_evening}. */
  public String code() {
    return code;
  }
}
