package cn.xingan.kpi.sink;

import cn.xingan.kpi.config.ClickHouseEndpoint;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.Serializable;
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
 * Integer}, {@code Long} or {@code BigInteger} (64-bit integers are sent unquoted), other numbers
 * (Float64 and Decimal) as {@code BigDecimal}, so money stays exact; Date and DateTime come as the
 * server's text (DateTime in the server's zone: select {@code toUnixTimestamp(col)} for instants).
 */
public final class ClickHouseHttp implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectReader ROW_READER =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .readerFor(new TypeReference<LinkedHashMap<String, Object>>() {});
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
   */
  public List<Map<String, Object>> queryJson(String sql) {
    String body =
        send(
            stripTrailingSemicolon(sql) + "\nFORMAT JSONEachRow",
            true,
            "&output_format_json_quote_64bit_integers=0");
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        rows.add(ROW_READER.readValue(line));
      } catch (JsonProcessingException e) {
        throw new ClickHouseHttpException(
            -1, "ClickHouse returned a line that is not a JSON object: '" + line + "'", sql, e);
      }
    }
    return rows;
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
      Matcher code = ERROR_CODE.matcher(text);
      throw new ClickHouseHttpException(
          code.find() ? Integer.parseInt(code.group(1)) : -1,
          "ClickHouse at "
              + endpoint.url()
              + " answered HTTP "
              + response.statusCode()
              + ": "
              + text,
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
