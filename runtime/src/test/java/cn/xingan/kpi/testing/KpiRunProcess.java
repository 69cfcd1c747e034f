// `bin/kpi run` as a user gets it, in a JVM of its own: the process-level tests must be able to
// SIGKILL and SIGTERM it, which an in-process MiniCluster cannot show (state, shutdown hooks and
// the stop-with-savepoint path all end with the process).
package cn.xingan.kpi.testing;

import cn.xingan.kpi.cli.KpiCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One child JVM running {@code KpiCli run ...} with the test's classpath, the JVM flags Flink needs
 * on Java 17 (those of this JVM), a log4j configuration of the test's and stdout and stderr into
 * one log file, kept under {@code target/} as the test's artifact.
 */
final class KpiRunProcess implements AutoCloseable {
  /** How a stop went: the exit code and how long the process took to exit. */
  record Exit(int code, long millis) {}

  private final Process process;
  private final Path log;
  private final String name;

  private KpiRunProcess(Process process, Path log, String name) {
    this.process = process;
    this.log = log;
    this.name = name;
  }

  /**
   * Starts {@code KpiCli} with {@code args} (the command first), output appended to {@code log}.
   */
  static KpiRunProcess start(String name, List<String> args, Path log, Path log4jConfig) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (flag.startsWith("--add-opens") || flag.startsWith("--add-exports")) {
        command.add(flag);
      }
    }
    command.add("-Dlog4j2.configurationFile=" + log4jConfig.toAbsolutePath());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(KpiCli.class.getName());
    command.addAll(args);
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          "=== " + name + ": " + String.join(" ", args) + System.lineSeparator(),
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      return new KpiRunProcess(p, log, name);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name + ": " + command, e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** Fails with the log's tail when the process has exited. */
  void assertAlive(String while_) {
    if (!process.isAlive()) {
      throw new AssertionError(
          name
              + " exited with code "
              + process.exitValue()
              + " while "
              + while_
              + "; the end of its log "
              + log
              + ":\n"
              + tail(40));
    }
  }

  /** SIGKILL: the process ends at once, as in a crash or an OOM kill. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " did not die within 30 s of SIGKILL");
    }
  }

  /** SIGTERM, then waits up to {@code timeout} for the exit (SIGKILL and fails after that). */
  Exit terminate(Duration timeout) throws InterruptedException {
    long t0 = System.nanoTime();
    process.destroy();
    boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    if (!exited) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
      throw new AssertionError(
          name + " did not exit within " + timeout + " of SIGTERM; its log ends:\n" + tail(40));
    }
    return new Exit(process.exitValue(), ms);
  }

  /** The last lines of the log file (every run of the test appends to it). */
  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
