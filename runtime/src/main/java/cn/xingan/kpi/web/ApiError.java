package cn.xingan.kpi.web;

/**
 * A request the API answers with an error status and a one-line message for the client, e.g. 400
 * for a bad parameter (naming the value and what was expected) or 503 when ClickHouse cannot be
 * read. The message is all the client sees: never a stack trace, the SQL or a credential.
 */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  ApiError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, message);
  }

  int status() {
    return status;
  }
}
