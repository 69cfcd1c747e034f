package cn.xingan.kpi.cli;

import cn.xingan.kpi.config.EngineOptions;
import cn.xingan.kpi.config.OptionException;
import java.io.IOException;
import java.net.ServerSocket;

/**
 * The Prometheus endpoint of a local run (--metrics-port), checked before the job starts: Flink's
 * reporter only logs when its port is taken, so a user would find no metrics and no reason. A port
 * the user chose that is taken is an error; the default port, when taken, is left off with a
 * warning.
 */
final class MetricsEndpoint {
  private MetricsEndpoint() {}

  /** The engine options to run with, after saying where the metrics are. */
  static EngineOptions prepare(EngineOptions engine) {
    int port = engine.metricsPort();
    if (port == 0) {
      return engine;
    }
    if (!isFree(port)) {
      if (engine.isExplicit(EngineOptions.METRICS_PORT)) {
        throw new OptionException(
            "--metrics-port '" + port + "' is in use; choose another port, or 0 for no endpoint");
      }
      System.out.println(
          "Metrics: port " + port + " is in use, so no Prometheus endpoint (--metrics-port N)");
      return engine.withMetricsPort(0);
    }
    System.out.println("Metrics (Prometheus): http://127.0.0.1:" + port + "/metrics");
    return engine;
  }

  static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
