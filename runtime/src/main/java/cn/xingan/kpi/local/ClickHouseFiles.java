package cn.xingan.kpi.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The files of a launched ClickHouse's own folder: the minimal config.xml and users.xml it runs
 * with (accepted by 18.16 and by current releases), the extra files merged into them from config.d/
 * and users.d/, and reading back its logs when it fails.
 */
final class ClickHouseFiles {
  private ClickHouseFiles() {}

  /**
   * Writes config.xml and users.xml into {@code folder}; data goes to {@code folder/data}. The
   * server logs at {@code logLevel} ({@code information}, {@code debug}, {@code trace}, …).
   */
  static void write(
      Path folder,
      String host,
      int httpPort,
      int tcpPort,
      String timezone,
      String displayName,
      String logLevel)
      throws IOException {
    Path data = folder.resolve("data");
    Files.createDirectories(data);
    String config =
        """
        <?xml version="1.0"?>
        <!-- Written by cn.xingan.kpi.local.ClickHouseServer; rewritten on every launch. -->
        <yandex>
          <logger>
            <level>%8$s</level>
            <log>%1$s/clickhouse-server.log</log>
            <errorlog>%1$s/clickhouse-server.err.log</errorlog>
            <size>50M</size>
            <count>2</count>
          </logger>
          <display_name>%7$s</display_name>
          <listen_host>%2$s</listen_host>
          <http_port>%3$d</http_port>
          <tcp_port>%4$d</tcp_port>
          <path>%5$s/</path>
          <tmp_path>%5$s/tmp/</tmp_path>
          <user_files_path>%5$s/user_files/</user_files_path>
          <format_schema_path>%5$s/format_schemas/</format_schema_path>
          <users_config>%1$s/users.xml</users_config>
          <default_profile>default</default_profile>
          <default_database>default</default_database>
          <mark_cache_size>268435456</mark_cache_size>
          <uncompressed_cache_size>268435456</uncompressed_cache_size>
          <max_concurrent_queries>100</max_concurrent_queries>
          <keep_alive_timeout>3</keep_alive_timeout>
        %6$s</yandex>
        """
            .formatted(
                folder,
                host,
                httpPort,
                tcpPort,
                data,
                timezone == null ? "" : "  <timezone>" + timezone + "</timezone>\n",
                displayName,
                logLevel);
    String users =
        """
        <?xml version="1.0"?>
        <!-- Written by cn.xingan.kpi.local.ClickHouseServer: one user, default, no password,
             loopback only. -->
        <yandex>
          <profiles>
            <default></default>
          </profiles>
          <users>
            <default>
              <password></password>
              <networks>
                <ip>127.0.0.1</ip>
                <ip>::1</ip>
              </networks>
              <profile>default</profile>
              <quota>default</quota>
            </default>
          </users>
          <quotas>
            <default></default>
          </quotas>
        </yandex>
        """;
    Files.writeString(folder.resolve("config.xml"), config, StandardCharsets.UTF_8);
    Files.writeString(folder.resolve("users.xml"), users, StandardCharsets.UTF_8);
  }

  /**
   * Writes a file that the server merges into config.xml ({@code config.d/}) or users.xml ({@code
   * users.d/}); the name must end in {@code .xml}.
   */
  static void writeMerged(Path folder, String dir, String name, String xml) throws IOException {
    if (!name.matches("[A-Za-z0-9_.-]+\\.xml")) {
      throw new IllegalArgumentException(
          "'" + name + "' is not a plain file name ending in .xml, as " + dir + "/ needs");
    }
    Path merged = Files.createDirectories(folder.resolve(dir));
    Files.writeString(merged.resolve(name), xml, StandardCharsets.UTF_8);
  }

  static String tail(Path file, int lines) {
    if (!Files.exists(file)) {
      return "(no such file)";
    }
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
