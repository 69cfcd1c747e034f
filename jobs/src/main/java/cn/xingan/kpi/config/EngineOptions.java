package cn.xingan.kpi.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The Flink engine settings a user may choose per run: parallelism, checkpoint interval and state
 * backend. {@code explicit} names the ones the user gave (in any source): under {@code flink run}
 * only those are set, so the cluster's own configuration decides the rest.
 */
public record EngineOptions(
    int parallelism, Duration checkpointInterval, String stateBackend, Set<String> explicit)
    implements Serializable {

  public static final String PARALLELISM = "parallelism";
  public static final String CHECKPOINT_INTERVAL = "checkpoint-interval";
  public static final String STATE_BACKEND = "state-backend";

  public EngineOptions {
    explicit = Set.copyOf(explicit);
  }

  /** The engine settings of a command's resolved options (backfill has only parallelism). */
  public static EngineOptions from(OptionValues v) {
    boolean streaming = v.command() != Command.BACKFILL;
    Set<String> explicit = new LinkedHashSet<>();
    for (String name : Set.of(PARALLELISM, CHECKPOINT_INTERVAL, STATE_BACKEND)) {
      if ((streaming || name.equals(PARALLELISM)) && v.given(name)) {
        explicit.add(name);
      }
    }
    EngineOptions defaults = defaults();
    return new EngineOptions(
        v.integer(PARALLELISM, 1, 1024),
        streaming ? v.positiveDuration(CHECKPOINT_INTERVAL) : defaults.checkpointInterval(),
        streaming ? v.oneOf(STATE_BACKEND, "hashmap", "rocksdb") : defaults.stateBackend(),
        explicit);
  }

  /** The defaults of {@code bin/kpi run}, nothing explicit. */
  public static EngineOptions defaults() {
    return new EngineOptions(
        1,
        Durations.parse(OptionTable.get(CHECKPOINT_INTERVAL).defaultValue()),
        OptionTable.get(STATE_BACKEND).defaultValue(),
        Set.of());
  }

  public boolean isExplicit(String name) {
    return explicit.contains(name);
  }

  public EngineOptions withParallelism(int p) {
    return new EngineOptions(p, checkpointInterval, stateBackend, plus(PARALLELISM));
  }

  public EngineOptions withCheckpointInterval(Duration d) {
    return new EngineOptions(parallelism, d, stateBackend, plus(CHECKPOINT_INTERVAL));
  }

  public EngineOptions withStateBackend(String backend) {
    return new EngineOptions(parallelism, checkpointInterval, backend, plus(STATE_BACKEND));
  }

  private Set<String> plus(String name) {
    Set<String> s = new LinkedHashSet<>(explicit);
    s.add(name);
    return s;
  }
}
