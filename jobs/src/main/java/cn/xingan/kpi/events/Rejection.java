package cn.xingan.kpi.events;

/**
 * A record that did not become an event, with where it came from and why: one row of {@code
 * rejected_events}. {@code raw} holds at most the first {@link #RAW_LIMIT_BYTES} of the record as
 * text (bad UTF-8 replaced), {@code rawBytes} the same first bytes unchanged, for the dead-letter
 * topic.
 */
public record Rejection(
    long receivedAt,
    String source,
    int partition,
    long offset,
    String eventId,
    String reason,
    String detail,
    String raw,
    byte[] rawBytes) {

  public static final int RAW_LIMIT_BYTES = 64 * 1024;

  public static final String MALFORMED_JSON = "malformed_json";
  public static final String MISSING_FIELD = "missing_field";
  public static final String INVALID_VALUE = "invalid_value";
  public static final String UNKNOWN_STREAM = "unknown_stream";
  public static final String UNKNOWN_PROJECT = "unknown_project";
  public static final String TOO_LARGE = "too_large";
  public static final String LATE = "late";
  public static final String FUTURE = "future";

  /** Equal when every field is, the bytes by content (a record compares arrays by identity). */
  @Override
  public boolean equals(Object o) {
    return o instanceof Rejection r
        && receivedAt == r.receivedAt
        && partition == r.partition
        && offset == r.offset
        && java.util.Objects.equals(source, r.source)
        && java.util.Objects.equals(eventId, r.eventId)
        && java.util.Objects.equals(reason, r.reason)
        && java.util.Objects.equals(detail, r.detail)
        && java.util.Objects.equals(raw, r.raw)
        && java.util.Arrays.equals(rawBytes, r.rawBytes);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(source, partition, offset, reason, eventId);
  }

  @Override
  public String toString() {
    return "Rejection["
        + source
        + ":"
        + partition
        + "@"
        + offset
        + " "
        + reason
        + " event_id="
        + eventId
        + ": "
        + detail
        + "]";
  }

  /** The same rejection for another reason, e.g. a decoded event found late downstream. */
  public Rejection because(String newReason, String newDetail) {
    return new Rejection(
        receivedAt, source, partition, offset, eventId, newReason, newDetail, raw, rawBytes);
  }
}
