package cn.xingan.kpi.cli;

import cn.xingan.kpi.config.OptionException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;

/**
 * Flink's web UI of a local run (--flink-ui-port; flink-runtime-web on the classpath makes the
 * local cluster's REST endpoint serve it). Checked before the job starts, like the metrics
 * endpoint: a chosen port that is taken is an error, the default port when taken is left off.
 */
final class FlinkUi {
  private FlinkUi() {}

  /** Sets the REST port on {@code conf}; returns the UI's URL, or null when there is none. */
  static String prepare(Configuration conf, int port, boolean explicit) {
    if (port == 0) {
      conf.set(RestOptions.BIND_PORT, "0"); // Flink's REST endpoint needs a port: any free one
      conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
      return null;
    }
    if (!MetricsEndpoint.isFree(port)) {
      if (explicit) {
        throw new OptionException(
            "--flink-ui-port '" + port + "' is in use; choose another port, or 0 for no web UI");
      }
      System.out.println("Flink web UI: port " + port + " is in use (--flink-ui-port N)");
      return prepare(conf, 0, false);
    }
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_PORT, String.valueOf(port));
    conf.set(RestOptions.PORT, port);
    return "http://127.0.0.1:" + port + "/";
  }
}
