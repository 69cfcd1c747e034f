// Both `local` (is a broker already there?) and `produce` (is the broker there before lines are
// read?)
// must tell "nothing answers" within seconds: a plain client would retry for a minute or more.
package cn.xingan.kpi.local;

import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.KafkaFuture;

/** Whether a Kafka cluster answers, asked once with a short timeout. */
public final class KafkaProbe {
  /** Long enough for a broker on this machine or the LAN, short enough for a command line. */
  public static final Duration TIMEOUT = Duration.ofSeconds(5);

  private KafkaProbe() {}

  /** The cluster id of the Kafka at {@code bootstrap}, or empty when none answers in time. */
  public static Optional<String> clusterId(String bootstrap) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return clusterId(p, TIMEOUT);
  }

  /**
   * The cluster id, asked with these client properties (bootstrap, security, …); empty when no
   * broker answers within {@code timeout}.
   */
  public static Optional<String> clusterId(Properties clientProperties, Duration timeout) {
    return ask(
        clientProperties,
        timeout,
        (admin, ms) ->
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).clusterId());
  }

  /** The topics of the cluster (internal ones left out); empty when no broker answers in time. */
  public static Optional<Set<String>> topics(Properties clientProperties, Duration timeout) {
    return ask(
        clientProperties,
        timeout,
        (admin, ms) -> admin.listTopics(new ListTopicsOptions().timeoutMs(ms)).names());
  }

  private static <T> Optional<T> ask(
      Properties clientProperties, Duration timeout, BiFunction<Admin, Integer, KafkaFuture<T>> q) {
    Properties p = new Properties();
    p.putAll(clientProperties);
    int ms = (int) timeout.toMillis();
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "kpi-probe");
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
    p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, Math.min(ms, 2000));
    p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, Math.min(ms, 2000));
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    Admin admin;
    try {
      admin = Admin.create(p);
    } catch (RuntimeException badAddress) {
      // e.g. a bootstrap that does not resolve: nothing can answer there
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(q.apply(admin, ms).get(ms + 1000L, TimeUnit.MILLISECONDS));
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      admin.close(Duration.ofSeconds(1));
    }
  }
}
