package cn.xingan.kpi.events;

/**
 * A record that did not become an event, with where it came from and why: one row of {@code
 * rejected_events}. {@code raw} holds at most the first {@link #RAW_LIMIT_BYTES} of the record.
 */
public record Rejection(
    long receivedAt,
    String source,
    int partition,
    long offset,
    String eventId,
    String reason,
    String detail,
    String raw) {

  public static final int RAW_LIMIT_BYTES = 64 * 1024;

  public static final String MALFORMED_JSON = "malformed_json";
  public static final String MISSING_FIELD = "missing_field";
  public static final String INVALID_VALUE = "invalid_value";
  public static final String UNKNOWN_STREAM = "unknown_stream";
  public static final String UNKNOWN_PROJECT = "unknown_project";
  public static final String TOO_LARGE = "too_large";
  public static final String LATE = "late";
  public static final String FUTURE = "future";

  /** The same rejection for another reason, e.g. a decoded event found late downstream. */
  public Rejection because(String newReason, String newDetail) {
    return new Rejection(receivedAt, source, partition, offset, eventId, newReason, newDetail, raw);
  }
}
