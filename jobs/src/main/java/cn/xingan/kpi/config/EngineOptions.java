package cn.xingan.kpi.config;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Flink engine settings a user may choose per run: parallelism, checkpointing (interval,
 * timeout, failures tolerated in a row), state backend, where a local run keeps its state and, for
 * local runs, the port of the Prometheus metrics endpoint (0: none). {@code explicit} names the
 * ones the user gave (in any source): under {@code flink run} only those are set, so the cluster's
 * own configuration decides the rest.
 *
 * @param stateDir checkpoints and savepoints of a local run; {@code null}: none kept (tests, flink
 *     run, backfills), Flink keeps checkpoints in the JobManager's memory
 */
public record EngineOptions(
    int parallelism,
    Duration checkpointInterval,
    Duration checkpointTimeout,
    int tolerableCheckpointFailures,
    String stateBackend,
    Path stateDir,
    int metricsPort,
    Set<String> explicit)
    implements Serializable {

  public static final String PARALLELISM = "parallelism";
  public static final String CHECKPOINT_INTERVAL = "checkpoint-interval";
  public static final String CHECKPOINT_TIMEOUT = "checkpoint-timeout";
  public static final String TOLERABLE_FAILURES = "tolerable-checkpoint-failures";
  public static final String STATE_BACKEND = "state-backend";
  public static final String STATE_DIR = "state-dir";
  public static final String METRICS_PORT = "metrics-port";

  private static final List<String> STREAMING_ONLY =
      List.of(CHECKPOINT_INTERVAL, CHECKPOINT_TIMEOUT, TOLERABLE_FAILURES, STATE_BACKEND);

  public EngineOptions {
    explicit = Set.copyOf(explicit);
  }

  /** The engine settings of a command's resolved options (backfill has only parallelism). */
  public static EngineOptions from(OptionValues v) {
    Command c = v.command();
    boolean streaming = c != Command.BACKFILL;
    boolean local = c == Command.RUN || c == Command.QUICKSTART;
    Set<String> explicit = new LinkedHashSet<>();
    for (String name : List.of(PARALLELISM, METRICS_PORT, STATE_DIR)) {
      if ((name.equals(PARALLELISM) || local) && v.given(name)) {
        explicit.add(name);
      }
    }
    for (String name : STREAMING_ONLY) {
      if (streaming && v.given(name)) {
        explicit.add(name);
      }
    }
    EngineOptions d = defaults();
    Path stateDir = null;
    if (local) {
      stateDir =
          c == Command.QUICKSTART && !v.given(STATE_DIR)
              ? v.path("data-dir").resolve("state")
              : v.path(STATE_DIR);
    }
    return new EngineOptions(
        v.integer(PARALLELISM, 1, 1024),
        streaming ? v.positiveDuration(CHECKPOINT_INTERVAL) : d.checkpointInterval(),
        streaming ? v.positiveDuration(CHECKPOINT_TIMEOUT) : d.checkpointTimeout(),
        streaming ? v.integer(TOLERABLE_FAILURES, 0, Integer.MAX_VALUE) : 0,
        streaming ? v.oneOf(STATE_BACKEND, "rocksdb", "hashmap") : d.stateBackend(),
        stateDir,
        local ? v.integer(METRICS_PORT, 0, 65535) : 0,
        explicit);
  }

  /** The defaults of {@code bin/kpi run} without a state dir (tests), nothing explicit. */
  public static EngineOptions defaults() {
    return new EngineOptions(
        1,
        Durations.parse(OptionTable.get(CHECKPOINT_INTERVAL).defaultValue()),
        Durations.parse(OptionTable.get(CHECKPOINT_TIMEOUT).defaultValue()),
        Integer.parseInt(OptionTable.get(TOLERABLE_FAILURES).defaultValue()),
        OptionTable.get(STATE_BACKEND).defaultValue(),
        null,
        0,
        Set.of());
  }

  public boolean isExplicit(String name) {
    return explicit.contains(name);
  }

  public EngineOptions withParallelism(int p) {
    return new EngineOptions(
        p,
        checkpointInterval,
        checkpointTimeout,
        tolerableCheckpointFailures,
        stateBackend,
        stateDir,
        metricsPort,
        plus(PARALLELISM));
  }

  public EngineOptions withCheckpointInterval(Duration d) {
    return new EngineOptions(
        parallelism,
        d,
        checkpointTimeout,
        tolerableCheckpointFailures,
        stateBackend,
        stateDir,
        metricsPort,
        plus(CHECKPOINT_INTERVAL));
  }

  /** Checkpoints abandoned after {@code timeout}, {@code failures} of them in a row tolerated. */
  public EngineOptions withCheckpointTimeout(Duration timeout, int failures) {
    Set<String> e = plus(CHECKPOINT_TIMEOUT);
    e.add(TOLERABLE_FAILURES);
    return new EngineOptions(
        parallelism, checkpointInterval, timeout, failures, stateBackend, stateDir, metricsPort, e);
  }

  public EngineOptions withStateBackend(String backend) {
    return new EngineOptions(
        parallelism,
        checkpointInterval,
        checkpointTimeout,
        tolerableCheckpointFailures,
        backend,
        stateDir,
        metricsPort,
        plus(STATE_BACKEND));
  }

  /** The same settings keeping checkpoints and savepoints under {@code dir}. */
  public EngineOptions withStateDir(Path dir) {
    return new EngineOptions(
        parallelism,
        checkpointInterval,
        checkpointTimeout,
        tolerableCheckpointFailures,
        stateBackend,
        dir,
        metricsPort,
        plus(STATE_DIR));
  }

  /** The same settings with the metrics endpoint on {@code port} (0: off). */
  public EngineOptions withMetricsPort(int port) {
    return new EngineOptions(
        parallelism,
        checkpointInterval,
        checkpointTimeout,
        tolerableCheckpointFailures,
        stateBackend,
        stateDir,
        port,
        plus(METRICS_PORT));
  }

  /** Where checkpoints go: {@code <state-dir>/checkpoints}, one folder per job id inside. */
  public Path checkpointDir() {
    return stateDir == null ? null : stateDir.toAbsolutePath().resolve("checkpoints");
  }

  /** Where stop-with-savepoint writes: {@code <state-dir>/savepoints}. */
  public Path savepointDir() {
    return stateDir == null ? null : stateDir.toAbsolutePath().resolve("savepoints");
  }

  private Set<String> plus(String name) {
    Set<String> s = new LinkedHashSet<>(explicit);
    s.add(name);
    return s;
  }
}
