package cn.xingan.kpi.sink;

import cn.xingan.kpi.config.ClickHouseEndpoint;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small ClickHouse client over its HTTP interface, for DDL, checks and reads. The JDBC driver
 * cannot read from the old servers we support (18.16), and the HTTP interface is the one thing
 * every ClickHouse release speaks the same way. Serializable so that a Flink function can carry it;
 * the HTTP client is created lazily on the side that uses it.
 *
 * <p>Reads: {@link #queryJson} returns one map per row, in column order. Integers come as {@code
 * Integer}, {@code Long} or {@code BigInteger} (also the 64-bit ones ClickHouse quotes), other
 * numbers (Float64 and Decimal) as {@code BigDecimal}, so money stays exact; Date and DateTime come
 * as the server's text (DateTime in the server's zone: select {@code toUnixTimestamp(col)} for
 * instants).
 */
public final class ClickHouseHttp implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectReader ANSWER_READER =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .readerFor(JsonAnswer.class);
  private static final Pattern ERROR_CODE = Pattern.compile("Code: (\\d+)");

  private final ClickHouseEndpoint endpoint;
  private final Duration requestTimeout;
  private transient HttpClient client;

  public ClickHouseHttp(ClickHouseEndpoint endpoint) {
    this(endpoint, DEFAULT_REQUEST_TIMEOUT);
  }

  public ClickHouseHttp(ClickHouseEndpoint endpoint, Duration requestTimeout) {
    if (endpoint == null) {
      throw new IllegalArgumentException("endpoint must not be null");
    }
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException(
          "request timeout " + requestTimeout + " must be a positive duration");
    }
    this.endpoint = endpoint;
    this.requestTimeout = requestTimeout;
  }

  public ClickHouseEndpoint endpoint() {
    return endpoint;
  }

  /** Runs a statement that returns no rows (DDL, INSERT ... VALUES) in the endpoint's database. */
  public void execute(String sql) {
    send(sql, true, "");
  }

  /**
   * Creates the endpoint's database if it is missing. This request names no database, since the
   * server rejects a {@code database} parameter that does not exist yet.
   */
  public void createDatabaseIfMissing() {
    send("CREATE DATABASE IF NOT EXISTS " + endpoint.database(), false, "");
  }

  /** Whether the endpoint's database exists (asked without naming it, as it may not). */
  public boolean databaseExists() {
    String sql = "SELECT count() FROM system.databases WHERE name = '" + endpoint.database() + "'";
    return !send(sql, false, "").strip().equals("0");
  }

  /** Drops the endpoint's database and everything in it, if it exists. */
  public void dropDatabaseIfExists() {
    send("DROP DATABASE IF EXISTS " + endpoint.database(), false, "");
  }

  /** Runs a query in the endpoint's database and returns the server's text as is. */
  public String query(String sql) {
    return send(sql, true, "");
  }

  /**
   * Runs a SELECT (without a FORMAT clause) and returns its rows, each a map from column name to
   * value in column order; see the class comment for the value types.
   *
   * <p>It asks for {@code FORMAT JSON} and turns the 64-bit integers that ClickHouse sends quoted
   * back into numbers by the column types in the answer's {@code meta}, rather than passing {@code
   * output_format_json_quote_64bit_integers=0}: a {@code readonly=1} user (dashboards, the live
   * page) may not pass any setting on 18.16, even one that changes nothing.
   */
  public List<Map<String, Object>> queryJson(String sql) {
    String body = send(stripTrailingSemicolon(sql) + "\nFORMAT JSON", true, "");
    JsonAnswer answer;
    try {
      answer = ANSWER_READER.readValue(body);
    } catch (JsonProcessingException e) {
      throw new ClickHouseHttpException(
          -1,
          "ClickHouse returned an answer that is not FORMAT JSON: '" + head(body) + "'",
          sql,
          e);
    }
    List<Map<String, Object>> rows = new ArrayList<>(answer.data().size());
    for (LinkedHashMap<String, Object> row : answer.data()) {
      for (JsonAnswer.Column column : answer.meta()) {
        row.computeIfPresent(column.name(), (name, value) -> unquote(value, column.type()));
      }
      rows.add(row);
    }
    return rows;
  }

  /** A value of a 64-bit integer type (or an array of them) as a number; others as they are. */
  private static Object unquote(Object value, String type) {
    String t = unwrap(unwrap(type, "Nullable("), "LowCardinality(");
    if (value instanceof String text && (t.equals("UInt64") || t.equals("Int64"))) {
      BigInteger n = new BigInteger(text);
      if (n.bitLength() < 32) {
        return n.intValue();
      }
      return n.bitLength() < 64 ? (Object) n.longValue() : n;
    }
    if (value instanceof List<?> list && t.startsWith("Array(")) {
      String element = t.substring("Array(".length(), t.length() - 1);
      List<Object> converted = new ArrayList<>(list.size());
      for (Object item : list) {
        converted.add(unquote(item, element));
      }
      return converted;
    }
    return value;
  }

  private static String unwrap(String type, String wrapper) {
    return type.startsWith(wrapper) && type.endsWith(")")
        ? type.substring(wrapper.length(), type.length() - 1)
        : type;
  }

  private static String head(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  /** The parts of a {@code FORMAT JSON} answer we read. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  private record JsonAnswer(List<Column> meta, List<LinkedHashMap<String, Object>> data) {
    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Column(String name, String type) {}
  }

  /** Whether the server answers {@code GET /ping} with {@code Ok.}; never throws. */
  public boolean ping() {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(endpoint.url() + "/ping"))
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    try {
      HttpResponse<String> response =
          client().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return response.statusCode() == 200 && response.body().trim().equals("Ok.");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The server's version, e.g. {@code 18.16.1} or {@code 25.3.2.39}. */
  public String serverVersion() {
    return query("SELECT version()").trim();
  }

  private String send(String sql, boolean inDatabase, String extraParams) {
    StringBuilder uri = new StringBuilder(endpoint.url()).append("/?");
    if (inDatabase) {
      uri.append("database=")
          .append(URLEncoder.encode(endpoint.database(), StandardCharsets.UTF_8));
    }
    uri.append(extraParams);
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(uri.toString()))
            .timeout(requestTimeout)
            .header("Content-Type", "text/plain; charset=UTF-8")
            .header("X-ClickHouse-User", endpoint.user())
            .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8));
    if (!endpoint.password().isEmpty()) {
      builder.header("X-ClickHouse-Key", endpoint.password());
    }
    HttpRequest request = builder.build();
    HttpResponse<String> response = sendWithOneRetry(request, sql);
    if (response.statusCode() != 200) {
      String text = response.body().trim();
      Matcher found = ERROR_CODE.matcher(text);
      int code = found.find() ? Integer.parseInt(found.group(1)) : -1;
      String answer =
          "ClickHouse at "
              + endpoint.url()
              + " answered HTTP "
              + response.statusCode()
              + ": "
              + ClickHouseErrors.redact(text, endpoint.password());
      throw new ClickHouseHttpException(
          code,
          ClickHouseErrors.isAccessCode(code)
              ? ClickHouseErrors.accessProblem(code, endpoint.user(), endpoint.url())
                  + " ("
                  + answer
                  + ")"
              : answer,
          sql,
          null);
    }
    return response.body();
  }

  /**
   * Sends once, and again if the first try died on a pooled connection that the server had already
   * closed (ClickHouse closes idle keep-alive connections after a few seconds; the JDK's client
   * does not know). In that case the server never read the request, so the retry cannot repeat it.
   */
  private HttpResponse<String> sendWithOneRetry(HttpRequest request, String sql) {
    for (int attempt = 1; ; attempt++) {
      try {
        return client().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        if (attempt == 1 && isStaleConnection(e)) {
          continue;
        }
        throw new ClickHouseHttpException(
            -1,
            "ClickHouse at " + endpoint.url() + " could not be reached: " + describe(e),
            sql,
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ClickHouseHttpException(
            -1, "interrupted while waiting for ClickHouse at " + endpoint.url(), sql, e);
      }
    }
  }

  private static boolean isStaleConnection(IOException e) {
    if (e instanceof ConnectException || e instanceof HttpTimeoutException) {
      return false;
    }
    String message = String.valueOf(e.getMessage());
    return message.contains("received no bytes")
        || message.contains("Connection reset")
        || message.contains("EOF reached");
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
  }

  private static String stripTrailingSemicolon(String sql) {
    String trimmed = sql.strip();
    return trimmed.endsWith(";") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
  }

  private synchronized HttpClient client() {
    if (client == null) {
      client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(CONNECT_TIMEOUT)
              .build();
    }
    return client;
  }

  /**
   * A statement that failed: the server's error text (or the connection problem) and the first line
   * of the statement. {@link #errorCode()} is ClickHouse's error code, or -1 when the server never
   * answered (connection refused, timeout), which a caller may treat as retriable.
   */
  public static final class ClickHouseHttpException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errorCode;

    ClickHouseHttpException(int errorCode, String message, String sql, Throwable cause) {
      super(message + " -- in statement: " + firstLine(sql), cause);
      this.errorCode = errorCode;
    }

    public int errorCode() {
      return errorCode;
    }

    /** Whether the server was not reached or did not answer (as opposed to rejecting the SQL). */
    public boolean isConnectionFailure() {
      return errorCode == -1 && getCause() instanceof IOException;
    }

    static String firstLine(String sql) {
      for (String line : sql.split("\n")) {
        String trimmed = line.strip();
        if (!trimmed.isEmpty() && !trimmed.startsWith("--")) {
          return trimmed.length() > 200 ? trimmed.substring(0, 200) + "..." : trimmed;
        }
      }
      return sql.strip();
    }
  }
}
