package cn.xingan.kpi.cli;

import cn.xingan.kpi.config.ClickHouseEndpoint;
import cn.xingan.kpi.local.ClickHouseServer;
import cn.xingan.kpi.sink.ClickHouseHttp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Quickstart's ClickHouse: started once in the data folder and left running when quickstart ends,
 * so the KPIs can still be queried; a later quickstart finds it through its pid and URL files and
 * reuses it. It takes the contract's default port 8123 when that is free, so the other commands
 * find it without options.
 */
final class LocalClickHouse {
  static final String PID_FILE = "server.pid";
  static final String URL_FILE = "server.url";

  private LocalClickHouse() {}

  /** The URL of the running local server in {@code folder}, starting one when none runs. */
  static String startOrReuse(Path folder) throws IOException {
    Optional<String> running = running(folder);
    if (running.isPresent()) {
      System.out.println("Reusing the local ClickHouse at " + running.get());
      return running.get();
    }
    ClickHouseServer.Builder builder = ClickHouseServer.builder().folder(folder);
    if (isFree(8123)) {
      builder.httpPort(8123);
    }
    if (isFree(9000)) {
      builder.tcpPort(9000);
    }
    ClickHouseServer server = builder.launch();
    long pid = server.detach();
    Files.writeString(folder.resolve(PID_FILE), pid + "\n");
    Files.writeString(folder.resolve(URL_FILE), server.url() + "\n");
    return server.url();
  }

  private static Optional<String> running(Path folder) {
    try {
      Path pidFile = folder.resolve(PID_FILE);
      Path urlFile = folder.resolve(URL_FILE);
      if (!Files.exists(pidFile) || !Files.exists(urlFile)) {
        return Optional.empty();
      }
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      String url = Files.readString(urlFile).trim();
      boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      if (alive
          && new ClickHouseHttp(new ClickHouseEndpoint(url, "default", "", "default")).ping()) {
        return Optional.of(url);
      }
    } catch (IOException | RuntimeException e) {
      // stale files: start a new server
    }
    return Optional.empty();
  }

  private static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
