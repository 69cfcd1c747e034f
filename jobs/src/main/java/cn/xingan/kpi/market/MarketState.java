package cn.xingan.kpi.market;

import cn.xingan.kpi.events.MarketEvent;
import cn.xingan.kpi.events.MarketStatus;

/**
 * What one period keeps about one market: its largest occupied count, and its latest report. The
 * latest report is the one with the greatest {@code event_time}, ties going to the greater {@code
 * event_id}, so that the same reports give the same answer in any arrival order (streaming and
 * backfill must agree). A Flink POJO: public fields, no-arg constructor.
 */
public class MarketState {
  public long peakOccupied;
  public long latestTime = Long.MIN_VALUE;
  public String latestEventId = "";
  public MarketStatus latestStatus;

  /** The latest report's {@code workers_registered}, 0 when that report has none. */
  public long latestWorkers;

  /** Takes one report of this market into account. */
  public void add(MarketEvent e) {
    peakOccupied = Math.max(peakOccupied, e.stallsOccupied());
    if (isLaterThanLatest(e.eventTime(), e.eventId())) {
      latestTime = e.eventTime();
      latestEventId = e.eventId();
      latestStatus = e.status();
      latestWorkers = Math.max(0, e.workersRegistered());
    }
  }

  /** Takes another slice's view of this market into account (the same as adding its reports). */
  public void merge(MarketState o) {
    peakOccupied = Math.max(peakOccupied, o.peakOccupied);
    if (o.latestStatus != null && isLaterThanLatest(o.latestTime, o.latestEventId)) {
      latestTime = o.latestTime;
      latestEventId = o.latestEventId;
      latestStatus = o.latestStatus;
      latestWorkers = o.latestWorkers;
    }
  }

  private boolean isLaterThanLatest(long time, String eventId) {
    return latestStatus == null
        || time > latestTime
        || (time == latestTime && eventId.compareTo(latestEventId) > 0);
  }
}
