package cn.xingan.kpi.events;

/**
 * A validated {@code market-stall-counts} report: one stall count of one market session. The gig
 * figures are {@link #ABSENT} when the report has none, which is always the case for markets that
 * are not {@code gig} (the contract gives them no meaning there).
 */
public record MarketEvent(
    String eventId,
    long eventTime,
    String marketId,
    String marketName,
    String county,
    MarketType marketType,
    MarketStatus status,
    int stallsTotal,
    int stallsOccupied,
    int workersRegistered,
    int jobsMatched) {

  /** The value of an optional count the report does not carry. */
  public static final int ABSENT = -1;
}
