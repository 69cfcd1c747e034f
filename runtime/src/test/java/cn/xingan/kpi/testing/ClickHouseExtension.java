package cn.xingan.kpi.testing;

import cn.xingan.kpi.config.ClickHouseEndpoint;
import cn.xingan.kpi.local.ClickHouseServer;
import cn.xingan.kpi.sink.ClickHouseHttp;
import cn.xingan.kpi.sink.SchemaInstaller;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class a ClickHouse database of its own with the schema installed. Starting
 * ClickHouse takes a second or two, so one local server serves every test class of the JVM and
 * stops when the test run ends; with {@code CLICKHOUSE_URL} set (and optionally {@code
 * CLICKHOUSE_USER}, {@code CLICKHOUSE_PASSWORD}) that server is used instead. Each class gets a
 * fresh {@code kpi_test_<random>} database, dropped after the class.
 *
 * <pre>{@code
 * @RegisterExtension static final ClickHouseExtension CLICKHOUSE = new ClickHouseExtension();
 * }</pre>
 */
public final class ClickHouseExtension implements BeforeAllCallback, AfterAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ClickHouseExtension.class);

  private ClickHouseEndpoint endpoint;
  private ClickHouseHttp http;
  private ClickHouseServer localServer;

  @Override
  public void beforeAll(ExtensionContext context) {
    String database = "kpi_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String url = System.getenv("CLICKHOUSE_URL");
    if (url != null && !url.isBlank()) {
      endpoint =
          new ClickHouseEndpoint(
              url,
              System.getenv("CLICKHOUSE_USER"),
              System.getenv("CLICKHOUSE_PASSWORD"),
              database);
    } else {
      localServer =
          context
              .getRoot()
              .getStore(NAMESPACE)
              .getOrComputeIfAbsent(
                  ClickHouseServer.class, key -> ClickHouseServer.launch(), ClickHouseServer.class);
      endpoint = localServer.endpoint(database);
    }
    http = new ClickHouseHttp(endpoint);
    SchemaInstaller.install(http);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (http != null) {
      http.dropDatabaseIfExists();
    }
  }

  /** The test class's database on the shared server. */
  public ClickHouseEndpoint endpoint() {
    return checkStarted(endpoint);
  }

  /** A client for {@link #endpoint()}. */
  public ClickHouseHttp http() {
    return checkStarted(http);
  }

  /** The server this JVM started, or empty when {@code CLICKHOUSE_URL} named one. */
  public Optional<ClickHouseServer> localServer() {
    return Optional.ofNullable(localServer);
  }

  private static <T> T checkStarted(T value) {
    if (value == null) {
      throw new IllegalStateException(
          "ClickHouseExtension is not started: register it as a static field with"
              + " @RegisterExtension, or use @ExtendWith on the class");
    }
    return value;
  }
}
