package cn.xingan.kpi.app;

import cn.xingan.kpi.config.EngineOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * The Flink configuration each entry runs with: BATCH mode for backfills; for streaming,
 * checkpoints (Kafka offsets are committed on them) kept under the state dir and retained when a
 * run is cancelled, a timeout and a number of failed checkpoints tolerated in a row (so a long
 * ClickHouse outage backpressures instead of restarting the job), the state backend (RocksDB with
 * incremental checkpoints by default), the state to restore, and a restart strategy with backoff.
 * Under {@code flink run} ({@code explicitOnly}) only what the user gave is set, so the cluster's
 * configuration decides everything else.
 *
 * <p>Object reuse is on everywhere: every record type is immutable and no function keeps an input
 * reference, and it saves a deep copy of each record between chained operators.
 */
public final class FlinkSettings {
  static final String PROMETHEUS = "prometheus";
  static final String PROMETHEUS_FACTORY =
      "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";

  /** Slots per unit of parallelism of a backfill: its six stages (slices, five sinks), and room. */
  static final int BATCH_STAGES = 8;

  private FlinkSettings() {}

  /** A bounded run over files: every period ends final. */
  public static Configuration batch(EngineOptions engine) {
    Configuration conf = common(engine, false);
    conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
    // A BATCH job gives each stage its own slots; with as many slots as the parallelism, the local
    // cluster ran the five sink stages after the slices one at a time (0.1 s of start-up each).
    // A cluster of its own (flink run) ignores this: its task managers decide.
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, engine.parallelism() * BATCH_STAGES);
    return conf;
  }

  /** A local streaming run (bin/kpi run, quickstart, tests): every setting decided here. */
  public static Configuration streaming(EngineOptions engine) {
    return streaming(engine, false, null);
  }

  /**
   * @param explicitOnly set only the engine options the user gave (under {@code flink run})
   */
  public static Configuration streaming(EngineOptions engine, boolean explicitOnly) {
    return streaming(engine, explicitOnly, null);
  }

  /**
   * @param explicitOnly set only the engine options the user gave (under {@code flink run})
   * @param restoreFrom a savepoint or retained checkpoint to start from, or {@code null}
   */
  public static Configuration streaming(
      EngineOptions engine, boolean explicitOnly, Path restoreFrom) {
    Configuration conf = common(engine, explicitOnly);
    conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
    if (!explicitOnly || engine.isExplicit(EngineOptions.CHECKPOINT_INTERVAL)) {
      conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, engine.checkpointInterval());
    }
    if (!explicitOnly || engine.isExplicit(EngineOptions.CHECKPOINT_TIMEOUT)) {
      conf.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, engine.checkpointTimeout());
    }
    if (!explicitOnly || engine.isExplicit(EngineOptions.TOLERABLE_FAILURES)) {
      conf.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, engine.tolerableCheckpointFailures());
    }
    if (!explicitOnly || engine.isExplicit(EngineOptions.STATE_BACKEND)) {
      conf.set(StateBackendOptions.STATE_BACKEND, engine.stateBackend());
      // RocksDB keeps only the files changed since the last checkpoint
      conf.set(
          CheckpointingOptions.INCREMENTAL_CHECKPOINTS, engine.stateBackend().equals("rocksdb"));
    }
    if (!explicitOnly && engine.stateDir() != null) {
      conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
      conf.set(
          CheckpointingOptions.CHECKPOINTS_DIRECTORY, engine.checkpointDir().toUri().toString());
      conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, engine.savepointDir().toUri().toString());
      // a cancelled or failed run leaves its latest checkpoint for the next run to resume from
      conf.set(
          CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
          ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    }
    if (restoreFrom != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom.toUri().toString());
    }
    if (!explicitOnly && engine.metricsPort() > 0) {
      // Flink's own Prometheus reporter (flink-metrics-prometheus, on the runtime's classpath)
      MetricOptions.forReporter(conf, PROMETHEUS)
          .set(MetricOptions.REPORTER_FACTORY_CLASS, PROMETHEUS_FACTORY)
          .setString("port", String.valueOf(engine.metricsPort()));
    }
    if (!explicitOnly) {
      conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
      conf.set(
          RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
          Duration.ofSeconds(1));
      conf.set(
          RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
          Duration.ofMinutes(1));
    }
    return conf;
  }

  private static Configuration common(EngineOptions engine, boolean explicitOnly) {
    Configuration conf = new Configuration();
    conf.set(PipelineOptions.OBJECT_REUSE, true);
    if (!explicitOnly || engine.isExplicit(EngineOptions.PARALLELISM)) {
      conf.set(CoreOptions.DEFAULT_PARALLELISM, engine.parallelism());
    }
    return conf;
  }
}
