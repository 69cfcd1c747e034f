package cn.xingan.kpi.cli;

import cn.xingan.kpi.config.ClickHouseEndpoint;
import cn.xingan.kpi.config.OptionException;
import cn.xingan.kpi.web.LivePage;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.ZoneId;

/**
 * Starts the live page of {@code run} and {@code quickstart} (--web-port) and says where it is. A
 * port the user chose that is taken is an error; the default port, when taken, is left off with a
 * warning (as the metrics endpoint).
 */
final class WebPage {
  private WebPage() {}

  /** The running page, or {@code null} when it is off. */
  static LivePage start(int port, boolean chosen, ClickHouseEndpoint clickhouse, ZoneId zone)
      throws IOException {
    if (port == 0) {
      return null;
    }
    try {
      LivePage page = LivePage.start(new InetSocketAddress("127.0.0.1", port), clickhouse, zone);
      System.out.println("Live page: " + page.url());
      return page;
    } catch (BindException e) {
      if (chosen) {
        throw new OptionException(
            "--web-port '" + port + "' is in use; choose another port, or 0 for no page");
      }
      System.out.println("Live page: port " + port + " is in use, so no page (--web-port N)");
      return null;
    }
  }
}
