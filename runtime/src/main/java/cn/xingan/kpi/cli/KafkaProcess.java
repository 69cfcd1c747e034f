package cn.xingan.kpi.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The embedded Kafka broker as a background process of quickstart: the broker keeps its own JVM
 * (and its own log noise) and is stopped with SIGTERM at the end, cleanly.
 */
final class KafkaProcess implements AutoCloseable {
  private static final String READY = "KAFKA READY ";

  private final Process process;
  private final String bootstrap;

  private KafkaProcess(Process process, String bootstrap) {
    this.process = process;
    this.bootstrap = bootstrap;
  }

  static KafkaProcess start(Path dir, int port, List<String> topics, Path log) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-Dkpi.log.file=" + log);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("cn.xingan.kpi.local.EmbeddedKafka");
    cmd.addAll(List.of("--port", String.valueOf(port), "--dir", dir.toString()));
    cmd.addAll(List.of("--topics", String.join(",", topics), "--partitions", "2"));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(false)
            .redirectError(
                ProcessBuilder.Redirect.appendTo(log.resolveSibling("kafka.err").toFile()))
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(READY)) {
        String bootstrap = line.substring(READY.length()).trim();
        Thread drain =
            new Thread(
                () -> {
                  try {
                    while (out.readLine() != null) {
                      // keep the pipe from filling up
                    }
                  } catch (IOException ignored) {
                    // the process ended
                  }
                },
                "kafka-stdout");
        drain.setDaemon(true);
        drain.start();
        return new KafkaProcess(p, bootstrap);
      }
    }
    throw new IOException(
        "the embedded Kafka broker exited before it was ready; see its log " + log);
  }

  String bootstrap() {
    return bootstrap;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
