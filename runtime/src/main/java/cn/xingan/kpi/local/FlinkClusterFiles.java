package cn.xingan.kpi.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The conf/ folder of a {@link StandaloneFlinkCluster}: config.yaml (Flink 2's standard YAML, one
 * flattened key per line) and the log4j configurations of the daemons and of the client, which log
 * to the file in the {@code log.file} system property, as Flink's own conf/ does.
 */
final class FlinkClusterFiles {
  private static final String LOG4J =
      """
      # Written by cn.xingan.kpi.local.StandaloneFlinkCluster.
      monitorInterval = 0
      rootLogger.level = INFO
      rootLogger.appenderRef.file.ref = MainAppender
      appender.main.name = MainAppender
      appender.main.type = File
      appender.main.append = true
      appender.main.fileName = ${sys:log.file}
      appender.main.layout.type = PatternLayout
      appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
      logger.netty.name = org.apache.flink.shaded.netty4.io.netty.channel.DefaultChannelPipeline
      logger.netty.level = OFF
      """;

  private FlinkClusterFiles() {}

  static Path conf(Path folder) {
    return folder.resolve("conf");
  }

  static Path log(Path folder) {
    return folder.resolve("log");
  }

  static Path log4j(Path folder) {
    return conf(folder).resolve("log4j.properties");
  }

  static Path cliLog4j(Path folder) {
    return conf(folder).resolve("log4j-cli.properties");
  }

  /** Writes conf/config.yaml with these entries and both log4j files; creates log/ and tmp/. */
  static void write(Path folder, Map<String, String> config) throws IOException {
    Files.createDirectories(conf(folder));
    Files.createDirectories(log(folder));
    Files.createDirectories(folder.resolve("tmp"));
    StringBuilder yaml = new StringBuilder("# Written by StandaloneFlinkCluster.\n");
    config.forEach(
        (key, value) ->
            yaml.append(key).append(": '").append(value.replace("'", "''")).append("'\n"));
    Files.writeString(conf(folder).resolve("config.yaml"), yaml, StandardCharsets.UTF_8);
    Files.writeString(log4j(folder), LOG4J, StandardCharsets.UTF_8);
    Files.writeString(cliLog4j(folder), LOG4J, StandardCharsets.UTF_8);
  }
}
