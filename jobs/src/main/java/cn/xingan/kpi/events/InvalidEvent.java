package cn.xingan.kpi.events;

/**
 * Thrown while decoding to reject a record with a contract reason code. It carries no stack trace:
 * bad input is expected traffic, not a bug, and must stay cheap.
 */
final class InvalidEvent extends RuntimeException {
  private final String reason;

  InvalidEvent(String reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }
}
