// `bin/kpi local start` returns while ClickHouse and Kafka keep running, so a later command
// (status,
// stop, quickstart) has only a pid file to find them by. Reading, checking and stopping a process
// through that file is the same for both servers and lives here.
package cn.xingan.kpi.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A server process of the local stack that outlives the JVM which started it, by its pid file. */
final class BackgroundProcess {
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private BackgroundProcess() {}

  /**
   * The live process named in {@code pidFile}, when its command line (where the OS shows it)
   * contains {@code marker}: a pid that was reused by another program since is not ours.
   */
  static Optional<ProcessHandle> alive(Path pidFile, String marker) {
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile).trim());
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(h -> commandLine(h).map(c -> c.contains(marker)).orElse(true));
  }

  /**
   * The whole command line: from /proc where there is one (ProcessHandle.Info gives only the
   * executable when the arguments are long, as a JVM's class path is), else what Info knows.
   */
  private static Optional<String> commandLine(ProcessHandle h) {
    Path proc = Path.of("/proc", String.valueOf(h.pid()), "cmdline");
    try {
      if (Files.isReadable(proc)) {
        return Optional.of(new String(Files.readAllBytes(proc), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // fall back to what the JDK knows
    }
    return h.info().commandLine();
  }

  static void writePid(Path pidFile, long pid) {
    try {
      Files.writeString(pidFile, pid + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + pidFile, e);
    }
  }

  /**
   * The command prefixed with {@code setsid} where it exists: the server then has its own session,
   * so a Ctrl-C in the terminal that started it (which signals the whole foreground process group)
   * does not stop it. {@code setsid} execs in place, so the pid stays the server's.
   */
  static List<String> ownSession(List<String> command) {
    if (!Files.isExecutable(SETSID)) {
      return command;
    }
    List<String> withSession = new ArrayList<>();
    withSession.add(SETSID.toString());
    withSession.addAll(command);
    return withSession;
  }

  /**
   * SIGTERM, then SIGKILL when the process has not ended after {@code grace}.
   *
   * @return whether it had to be killed
   */
  static boolean stop(ProcessHandle process, Duration grace) {
    process.destroy();
    if (awaitExit(process, grace)) {
      return false;
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    awaitExit(process, Duration.ofSeconds(10));
    return true;
  }

  private static boolean awaitExit(ProcessHandle process, Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return !process.isAlive();
    } catch (ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }
}
