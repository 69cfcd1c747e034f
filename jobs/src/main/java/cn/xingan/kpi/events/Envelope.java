package cn.xingan.kpi.events;

/**
 * What decoding one record yields: exactly one of a typed event or a {@link Rejection}. A decoded
 * event keeps its {@link Origin} until it is admitted, so that an event found late can still be
 * rejected with its original bytes. Envelopes never cross the network with their origin: the
 * admitting operator is chained to the source.
 */
public record Envelope(
    EventStream stream,
    long eventTime,
    ServiceEvent service,
    Rejection rejection,
    Origin origin,
    MarketEvent market,
    ProjectEvent project) {

  public static Envelope rejected(EventStream stream, Rejection rejection) {
    return new Envelope(stream, Long.MIN_VALUE, null, rejection, null, null, null);
  }

  public static Envelope service(ServiceEvent event, Origin origin) {
    return new Envelope(
        EventStream.SERVICE_TRANSACTIONS, event.eventTime(), event, null, origin, null, null);
  }

  public static Envelope market(MarketEvent event, Origin origin) {
    return new Envelope(
        EventStream.MARKET_STALL_COUNTS, event.eventTime(), null, null, origin, event, null);
  }

  public static Envelope project(ProjectEvent event, Origin origin) {
    return new Envelope(
        EventStream.PROJECT_PROGRESS, event.eventTime(), null, null, origin, null, event);
  }

  /** The record's size as read (its bytes and a line end), for progress against file sizes. */
  public long sizeBytes() {
    byte[] raw = origin != null ? origin.raw() : rejection != null ? rejection.rawBytes() : null;
    return raw == null ? 0 : raw.length + 1L;
  }

  public boolean isRejected() {
    return rejection != null;
  }

  /** The event id of the decoded event, for dedup and reporting. */
  public String eventId() {
    if (service != null) {
      return service.eventId();
    }
    if (market != null) {
      return market.eventId();
    }
    if (project != null) {
      return project.eventId();
    }
    return rejection != null ? rejection.eventId() : "";
  }
}
