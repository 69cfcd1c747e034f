package cn.xingan.kpi.web;

import cn.xingan.kpi.config.ClickHouseEndpoint;
import cn.xingan.kpi.sink.ClickHouseHttp;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live page of CONTRACT.md §5: a read-only web page with the headline KPIs, charts and open
 * alerts, and its JSON API ({@code /api/kpi/{service|market|project}}, {@code /api/alerts}, {@code
 * /api/meta}), served by the JDK's HTTP server straight from ClickHouse's HTTP interface. It holds
 * no state of its own: every answer is a FINAL read, so the page shows what planners' SQL shows.
 *
 * <pre>{@code
 * try (LivePage page = LivePage.start(new InetSocketAddress("127.0.0.1", 8080), endpoint, zone)) {
 *   ... page.url() ...
 * }
 * }</pre>
 */
public final class LivePage implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LivePage.class);
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);
  private static final int THREADS = 4;
  private static final String SECURITY_POLICY =
      "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
          + " frame-ancestors 'none'";

  private final HttpServer server;
  private final ExecutorService threads;
  private final URI url;

  private LivePage(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
    InetSocketAddress bound = server.getAddress();
    String host =
        bound.getAddress().isAnyLocalAddress() ? "127.0.0.1" : bound.getAddress().getHostAddress();
    this.url =
        URI.create(
            "http://"
                + (host.contains(":") ? "[" + host + "]" : host)
                + ":"
                + bound.getPort()
                + "/");
  }

  /**
   * Starts serving at {@code address} (port 0 picks a free one). Bind {@code 127.0.0.1} to keep the
   * page on this machine, or {@code 0.0.0.0} to serve other machines too (the page is read-only and
   * has no login: only on a trusted network).
   */
  public static LivePage start(
      InetSocketAddress address, ClickHouseEndpoint clickhouse, ZoneId zone) throws IOException {
    StaticFiles files = new StaticFiles();
    Api api = new Api(new ClickHouseHttp(clickhouse, QUERY_TIMEOUT), zone);
    HttpServer server = HttpServer.create(address, 0);
    AtomicInteger n = new AtomicInteger();
    ExecutorService threads =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
              Thread t = new Thread(r, "live-page-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(threads);
    server.createContext("/", exchange -> serve(exchange, files, api));
    server.start();
    LivePage page = new LivePage(server, threads);
    LOG.info(
        "Live page: {} (ClickHouse {}, database {})",
        page.url,
        clickhouse.url(),
        clickhouse.database());
    return page;
  }

  /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
  public URI url() {
    return url;
  }

  /** The bound port (the free one chosen when started with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  private static void serve(HttpExchange exchange, StaticFiles files, Api api) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        json(
            exchange,
            405,
            Map.of("error", "method " + method + " not allowed; the page is read-only"));
        return;
      }
      String path = exchange.getRequestURI().getPath();
      if (path.startsWith("/api/")) {
        api(exchange, api, path);
        return;
      }
      var file = files.get(path);
      if (file.isEmpty()) {
        json(exchange, 404, Map.of("error", "no page at " + path + "; the live page is at /"));
        return;
      }
      exchange
          .getResponseHeaders()
          .set("Cache-Control", path.startsWith("/vendor/") ? "max-age=86400" : "no-cache");
      send(exchange, 200, file.get().contentType(), file.get().bytes());
    }
  }

  private static void api(HttpExchange exchange, Api api, String path) throws IOException {
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    try {
      json(exchange, 200, api.answer(path, exchange.getRequestURI().getRawQuery(), Instant.now()));
    } catch (ApiError e) {
      json(exchange, e.status(), Map.of("error", e.getMessage()));
    } catch (ClickHouseHttp.ClickHouseHttpException e) {
      LOG.warn("Live page: {} failed: {}", path, e.getMessage());
      json(exchange, 503, Map.of("error", api.unavailableMessage(e)));
    } catch (RuntimeException e) {
      LOG.error("Live page: {} failed", path, e);
      json(exchange, 500, Map.of("error", "internal error; the server's log has the details"));
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

  private static void json(HttpExchange exchange, int status, Object body) throws IOException {
    send(exchange, status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.getResponseHeaders().set("Content-Security-Policy", SECURITY_POLICY);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
