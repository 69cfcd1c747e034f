package cn.xingan.kpi.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code market-stall-counts} rules of the contract, applied to one parsed record.
 *
 * <p>{@code workers_registered} and {@code jobs_matched} are read on {@code gig} markets only,
 * where they are optional (absent or {@code null}). On other markets they are ignored like unknown
 * fields, as the contract's "when" column and {@code schemas/README.md} decide: the schema leaves
 * them unconstrained there, so a value the schema accepts must not make the report invalid.
 */
final class MarketDecoding {
  private static final Map<String, MarketType> TYPE = new LinkedHashMap<>();
  private static final Map<String, MarketStatus> STATUS = new LinkedHashMap<>();

  static {
    for (MarketType t : MarketType.values()) {
      TYPE.put(t.code(), t);
    }
    for (MarketStatus s : MarketStatus.values()) {
      STATUS.put(s.code(), s);
    }
  }

  private MarketDecoding() {}

  static MarketEvent decode(Fields f, String eventId, long eventTime) {
    String marketId = f.text("market_id");
    String marketName = f.text("market_name");
    String county = f.code("county");
    MarketType type = f.oneOf("market_type", TYPE);
    MarketStatus status = f.oneOf("status", STATUS);
    int total = f.integer("stalls_total", 0, Integer.MAX_VALUE);
    int occupied = f.integer("stalls_occupied", 0, Integer.MAX_VALUE);
    if (occupied > total) {
      throw new InvalidEvent(
          Rejection.INVALID_VALUE,
          "stalls_occupied "
              + occupied
              + " exceeds stalls_total "
              + total
              + "; expected stalls_occupied <= stalls_total");
    }
    int workers = MarketEvent.ABSENT;
    int jobs = MarketEvent.ABSENT;
    if (type == MarketType.GIG) {
      workers = optionalCount(f, "workers_registered");
      jobs = optionalCount(f, "jobs_matched");
    }
    return new MarketEvent(
        eventId,
        eventTime,
        marketId,
        marketName,
        county,
        type,
        status,
        total,
        occupied,
        workers,
        jobs);
  }

  private static int optionalCount(Fields f, String name) {
    return f.has(name) ? f.integer(name, 0, Integer.MAX_VALUE) : MarketEvent.ABSENT;
  }
}
