package cn.xingan.kpi.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The Flink engine settings a user may choose per run: parallelism, checkpoint interval, state
 * backend and, for local runs, the port of the Prometheus metrics endpoint (0: none). {@code
 * explicit} names the ones the user gave (in any source): under {@code flink run} only those are
 * set, so the cluster's own configuration decides the rest.
 */
public record EngineOptions(
    int parallelism,
    Duration checkpointInterval,
    String stateBackend,
    int metricsPort,
    Set<String> explicit)
    implements Serializable {

  public static final String PARALLELISM = "parallelism";
  public static final String CHECKPOINT_INTERVAL = "checkpoint-interval";
  public static final String STATE_BACKEND = "state-backend";
  public static final String METRICS_PORT = "metrics-port";

  public EngineOptions {
    explicit = Set.copyOf(explicit);
  }

  /** The engine settings of a command's resolved options (backfill has only parallelism). */
  public static EngineOptions from(OptionValues v) {
    boolean streaming = v.command() != Command.BACKFILL;
    Set<String> explicit = new LinkedHashSet<>();
    boolean local = v.command() == Command.RUN || v.command() == Command.QUICKSTART;
    for (String name : Set.of(PARALLELISM, CHECKPOINT_INTERVAL, STATE_BACKEND, METRICS_PORT)) {
      boolean takes =
          name.equals(PARALLELISM) || name.equals(METRICS_PORT) ? local || !streaming : streaming;
      if (takes && (!name.equals(METRICS_PORT) || local) && v.given(name)) {
        explicit.add(name);
      }
    }
    EngineOptions defaults = defaults();
    return new EngineOptions(
        v.integer(PARALLELISM, 1, 1024),
        streaming ? v.positiveDuration(CHECKPOINT_INTERVAL) : defaults.checkpointInterval(),
        streaming ? v.oneOf(STATE_BACKEND, "hashmap", "rocksdb") : defaults.stateBackend(),
        local ? v.integer(METRICS_PORT, 0, 65535) : 0,
        explicit);
  }

  /** The defaults of {@code bin/kpi run}, nothing explicit. */
  public static EngineOptions defaults() {
    return new EngineOptions(
        1,
        Durations.parse(OptionTable.get(CHECKPOINT_INTERVAL).defaultValue()),
        OptionTable.get(STATE_BACKEND).defaultValue(),
        0,
        Set.of());
  }

  public boolean isExplicit(String name) {
    return explicit.contains(name);
  }

  public EngineOptions withParallelism(int p) {
    return new EngineOptions(p, checkpointInterval, stateBackend, metricsPort, plus(PARALLELISM));
  }

  public EngineOptions withCheckpointInterval(Duration d) {
    return new EngineOptions(parallelism, d, stateBackend, metricsPort, plus(CHECKPOINT_INTERVAL));
  }

  public EngineOptions withStateBackend(String backend) {
    return new EngineOptions(
        parallelism, checkpointInterval, backend, metricsPort, plus(STATE_BACKEND));
  }

  /** The same settings with the metrics endpoint on {@code port} (0: off). */
  public EngineOptions withMetricsPort(int port) {
    return new EngineOptions(
        parallelism, checkpointInterval, stateBackend, port, plus(METRICS_PORT));
  }

  private Set<String> plus(String name) {
    Set<String> s = new LinkedHashSet<>(explicit);
    s.add(name);
    return s;
  }
}
