package cn.xingan.kpi.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.xingan.kpi.config.ClickHouseEndpoint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * What the client does without a server: it survives Java serialization (Flink ships it to task
 * managers) and reports an unreachable server with the URL and the statement. Talking to a real
 * server is covered by ClickHouseSchemaITCase in the runtime module.
 */
class ClickHouseHttpTest {

  @Test
  void survivesSerializationAndStillWorksAfterwards() throws Exception {
    ClickHouseHttp original = new ClickHouseHttp(endpointOnAClosedPort());
    original.ping(); // creates the transient HTTP client before serializing

    ClickHouseHttp copy = roundTrip(original);

    assertThat(copy.endpoint()).isEqualTo(original.endpoint());
    assertThat(copy.ping()).isFalse();
  }

  @Test
  void anUnreachableServerIsAConnectionFailureNamingUrlAndStatement() throws IOException {
    ClickHouseEndpoint endpoint = endpointOnAClosedPort();
    ClickHouseHttp http = new ClickHouseHttp(endpoint);

    assertThatThrownBy(() -> http.execute("\n-- why\n  INSERT INTO t VALUES (1)\n  (2)"))
        .isInstanceOf(ClickHouseHttp.ClickHouseHttpException.class)
        .hasMessageContaining(endpoint.url())
        .hasMessageEndingWith("in statement: INSERT INTO t VALUES (1)")
        .matches(e -> ((ClickHouseHttp.ClickHouseHttpException) e).isConnectionFailure())
        .matches(e -> ((ClickHouseHttp.ClickHouseHttpException) e).errorCode() == -1);
  }

  @Test
  void rejectsANonPositiveTimeout() throws IOException {
    assertThatThrownBy(() -> new ClickHouseHttp(endpointOnAClosedPort(), java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
  }

  private static ClickHouseEndpoint endpointOnAClosedPort() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    return new ClickHouseEndpoint("http://127.0.0.1:" + port, "default", "", "kpi");
  }

  private static ClickHouseHttp roundTrip(ClickHouseHttp http) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(http);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (ClickHouseHttp) in.readObject();
    }
  }
}
