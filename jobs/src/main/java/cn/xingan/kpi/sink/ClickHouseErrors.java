package cn.xingan.kpi.sink;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sorts a failed ClickHouse write into what to do about it, after the ClickHouse Flink connector's
 * split: the server is away or busy (retry until it returns), the schema or the credentials are
 * wrong (stop: retrying cannot help), or the rows themselves are bad.
 */
public final class ClickHouseErrors {

  /** What a failed write calls for. */
  public enum Kind {
    /** Connection refused or reset, timeouts, overload: back off and try the same batch again. */
    RETRIABLE,
    /** Schema, permissions, syntax: stop the job with the server's message. */
    FATAL,
    /** The server could not take the values: stop with the message too (our rows are ours). */
    BAD_DATA,
    /** No known code: retry a bounded number of times, then fail the task. */
    UNKNOWN
  }

  private static final Pattern CODE = Pattern.compile("Code: (\\d+)");
  private static final Pattern COLUMN =
      Pattern.compile(
          "(?:No such column|There is no column|Unknown identifier|Missing columns?:?)\\s+'?([\\w.]+)",
          Pattern.CASE_INSENSITIVE);

  // ClickHouse error codes (src/Common/ErrorCodes.cpp), the same numbers since 18.x.
  private static final Set<Integer> FATAL_CODES =
      Set.of(16, 46, 47, 60, 62, 81, 164, 192, 193, 194, 195, 291, 497, 516);
  private static final Set<Integer> BAD_DATA_CODES =
      Set.of(6, 26, 27, 38, 41, 53, 69, 70, 72, 117, 131, 321);
  private static final Set<Integer> RETRIABLE_CODES =
      Set.of(3, 23, 24, 32, 159, 202, 203, 209, 210, 225, 241, 242, 252, 319, 394, 425, 999);

  private ClickHouseErrors() {}

  public static Kind classify(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof SocketTimeoutException
          || t instanceof HttpTimeoutException
          || t instanceof SocketException
          || t instanceof java.io.EOFException) {
        return Kind.RETRIABLE;
      }
    }
    String message = messages(error);
    Matcher m = CODE.matcher(message);
    if (m.find()) {
      int code = Integer.parseInt(m.group(1));
      if (FATAL_CODES.contains(code)) {
        return Kind.FATAL;
      }
      if (BAD_DATA_CODES.contains(code)) {
        return Kind.BAD_DATA;
      }
      if (RETRIABLE_CODES.contains(code)) {
        return Kind.RETRIABLE;
      }
      return Kind.UNKNOWN;
    }
    String lower = message.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("connection refused")
        || lower.contains("connect timed out")
        || lower.contains("connection reset")
        || lower.contains("timeout")
        || lower.contains("broken pipe")
        || lower.contains("failed to connect")) {
      return Kind.RETRIABLE;
    }
    return Kind.UNKNOWN;
  }

  /** The column a server message names, if any (for "no such column" style errors). */
  public static String column(Throwable error) {
    Matcher m = COLUMN.matcher(messages(error));
    return m.find() ? m.group(1) : null;
  }

  /** Every message along the cause chain, joined, for matching and for reports. */
  public static String messages(Throwable error) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null) {
        if (b.length() > 0) {
          b.append(" | ");
        }
        b.append(t.getMessage());
      }
    }
    return b.toString();
  }
}
