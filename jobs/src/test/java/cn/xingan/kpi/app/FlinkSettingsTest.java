package cn.xingan.kpi.app;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.config.Command;
import cn.xingan.kpi.config.EngineOptions;
import cn.xingan.kpi.config.OptionSources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.junit.jupiter.api.Test;

/**
 * What each entry's Flink configuration holds: durable by default, the cluster's under flink run.
 */
class FlinkSettingsTest {

  private static EngineOptions engine(Command c, String... args) {
    return EngineOptions.from(OptionSources.resolve(c, args, Map.of()));
  }

  @Test
  void runIsDurableByDefault() {
    Configuration conf = FlinkSettings.streaming(engine(Command.RUN), false, null);
    String checkpoints = Path.of(".kpi/state/checkpoints").toAbsolutePath().toUri().toString();
    assertThat(conf.get(CheckpointingOptions.CHECKPOINT_STORAGE)).isEqualTo("filesystem");
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo(checkpoints);
    assertThat(conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY))
        .isEqualTo(Path.of(".kpi/state/savepoints").toAbsolutePath().toUri().toString());
    assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
    assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
    assertThat(conf.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
        .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT))
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(conf.get(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER)).isEqualTo(144);
    assertThat(conf.contains(StateRecoveryOptions.SAVEPOINT_PATH)).isFalse();
  }

  @Test
  void quickstartKeepsItsWeekOnTheHeapButCheckpointsItToo() {
    Configuration conf =
        FlinkSettings.streaming(engine(Command.QUICKSTART, "--data-dir", "/tmp/qs"), false, null);
    assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
    assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isFalse();
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
        .isEqualTo(Path.of("/tmp/qs/state/checkpoints").toUri().toString());
  }

  @Test
  void quickstartKeepsItsStateInTheDataDirUnlessToldOtherwise() {
    assertThat(engine(Command.QUICKSTART, "--data-dir", "/tmp/qs").stateDir())
        .isEqualTo(Path.of("/tmp/qs/state"));
    assertThat(engine(Command.QUICKSTART, "--data-dir", "/tmp/qs", "--state-dir", "/s").stateDir())
        .isEqualTo(Path.of("/s"));
  }

  @Test
  void aRestoreGoesToFlinksRecoveryPath() {
    Configuration conf =
        FlinkSettings.streaming(engine(Command.RUN), false, Path.of("/tmp/sp/savepoint-1"));
    assertThat(conf.get(StateRecoveryOptions.SAVEPOINT_PATH))
        .matches("file:/+tmp/sp/savepoint-1/?");
  }

  @Test
  void flinkRunSetsOnlyWhatTheUserGave() {
    Configuration none = FlinkSettings.streaming(engine(Command.FLINK_RUN), true, null);
    assertThat(none.contains(CheckpointingOptions.CHECKPOINT_STORAGE)).isFalse();
    assertThat(none.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isFalse();
    assertThat(none.contains(StateBackendOptions.STATE_BACKEND)).isFalse();
    assertThat(none.contains(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isFalse();
    assertThat(none.contains(CheckpointingOptions.CHECKPOINTING_TIMEOUT)).isFalse();
    assertThat(none.contains(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER)).isFalse();
    assertThat(none.contains(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION)).isFalse();

    Configuration some =
        FlinkSettings.streaming(
            engine(Command.FLINK_RUN, "--checkpoint-timeout", "3m", "--state-backend", "hashmap"),
            true,
            null);
    assertThat(some.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT))
        .isEqualTo(Duration.ofMinutes(3));
    assertThat(some.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
    assertThat(some.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isFalse();
    assertThat(some.contains(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER)).isFalse();
  }

  @Test
  void aBackfillHasNoCheckpoints() {
    EngineOptions e = engine(Command.BACKFILL, "--input", "x.jsonl");
    assertThat(e.stateDir()).isNull();
    assertThat(FlinkSettings.batch(e).contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
        .isFalse();
  }
}
