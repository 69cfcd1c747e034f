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
 * split: the server is away or busy (retry until it returns), the login or the user's rights are
 * wrong, the schema is older than the job (both: stop, retrying cannot help, but the fixes differ,
 * so they are told apart), or the rows themselves are bad.
 */
public final class ClickHouseErrors {

  /** What a failed write calls for. */
  public enum Kind {
    /** Connection refused or reset, timeouts, overload: back off and try the same batch again. */
    RETRIABLE,
    /**
     * The server refused the user: unknown user, wrong or missing password, address not allowed, or
     * the user lacks the right (read-only, database not allowed, DDL prohibited). Stop, naming the
     * user; running {@code init-db} would not help.
     */
    ACCESS,
    /**
     * Missing table or column, unknown function, syntax: stop; the schema needs {@code init-db}.
     */
    SCHEMA,
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
  private static final Set<Integer> SCHEMA_CODES = Set.of(16, 46, 47, 60, 62, 81);

  /** Who the user is was not accepted: fix the login. */
  private static final Set<Integer> LOGIN_CODES = Set.of(192, 193, 194, 195, 516);

  /** The user is known but may not do this: use another user or give it the right. */
  private static final Set<Integer> RIGHTS_CODES = Set.of(164, 291, 392, 497);

  private static final Set<Integer> BAD_DATA_CODES =
      Set.of(6, 26, 27, 38, 41, 53, 69, 70, 72, 117, 131, 321);
  private static final Set<Integer> RETRIABLE_CODES =
      Set.of(3, 23, 24, 32, 159, 202, 203, 209, 210, 225, 241, 242, 252, 279, 319, 394, 425, 999);

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
    int code = code(error);
    if (code >= 0) {
      if (isAccessCode(code)) {
        return Kind.ACCESS;
      }
      if (SCHEMA_CODES.contains(code)) {
        return Kind.SCHEMA;
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

  /** The first ClickHouse error code along the cause chain, or -1 when none is given. */
  public static int code(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ClickHouseHttp.ClickHouseHttpException http && http.errorCode() >= 0) {
        return http.errorCode();
      }
    }
    Matcher m = CODE.matcher(messages(error));
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  /**
   * What an {@link Kind#ACCESS} code means for the user and what to do about it, as one sentence
   * naming the user (never the password): e.g. {@code ClickHouse at http://h:8123 refused user
   * 'kpi_writer': the password is wrong; check --clickhouse-user and --clickhouse-password (or the
   * environment variable CLICKHOUSE_PASSWORD)}.
   */
  public static String accessProblem(int code, String user, String url) {
    String what =
        switch (code) {
          case 192 -> "there is no such user";
          case 193 -> "the password is wrong";
          case 194 -> "the user needs a password and none was given";
          case 195 -> "the user may not connect from this address";
          case 516 -> "the password is wrong or there is no such user";
          case 164 -> "the user is read-only";
          case 291 -> "the user may not use this database";
          case 392 -> "the user may not create or change tables (DDL is prohibited for it)";
          case 497 -> "the user lacks the right for this statement";
          default -> "access denied (code " + code + ")";
        };
    String fix;
    if (LOGIN_CODES.contains(code)) {
      fix =
          "check --clickhouse-user and --clickhouse-password (or the environment variable"
              + " CLICKHOUSE_PASSWORD)";
    } else if (code == 392) {
      fix = "create or upgrade the schema with `bin/kpi init-db` as an admin user";
    } else {
      fix =
          "the jobs need a user that may insert into the KPI database (kpi_writer in"
              + " sql/users.d/kpi-users.xml); dashboards need one that may read it";
    }
    return "ClickHouse at " + url + " refused user '" + user + "': " + what + "; " + fix;
  }

  /** Whether a code is one of {@link Kind#ACCESS}. */
  public static boolean isAccessCode(int code) {
    return LOGIN_CODES.contains(code) || RIGHTS_CODES.contains(code);
  }

  /**
   * The text with every occurrence of the secret replaced by {@code ***}: a last guard for messages
   * built from what a driver or server returned, which we do not control.
   */
  public static String redact(String text, String secret) {
    if (text == null || secret == null || secret.isEmpty()) {
      return text;
    }
    return text.replace(secret, "***");
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
