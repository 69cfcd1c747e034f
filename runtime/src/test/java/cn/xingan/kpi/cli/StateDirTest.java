package cn.xingan.kpi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which snapshot a run resumes from, and what it may delete. */
class StateDirTest {
  @TempDir Path root;

  private Path snapshot(String dir, String at) throws Exception {
    Path d = Files.createDirectories(root.resolve(dir));
    Path m = Files.writeString(d.resolve("_metadata"), "x");
    Files.setLastModifiedTime(m, FileTime.from(Instant.parse(at)));
    return d;
  }

  @Test
  void nothingThereMeansNoState() throws Exception {
    assertThat(new StateDir(root).latest()).isEmpty();
    // a checkpoint Flink was still writing (no _metadata yet) does not count
    Files.createDirectories(root.resolve("checkpoints/job1/chk-3"));
    Files.writeString(root.resolve("checkpoints/job1/chk-3/some-state"), "x");
    assertThat(new StateDir(root).latest()).isEmpty();
  }

  @Test
  void theLatestCompletedCheckpointOrSavepointWins() throws Exception {
    snapshot("checkpoints/job1/chk-7", "2026-12-01T10:00:00Z");
    Path sp = snapshot("savepoints/savepoint-job1-a", "2026-12-01T10:00:05Z");
    Path chk = snapshot("checkpoints/job2/chk-2", "2026-12-01T11:00:00Z");
    Files.createDirectories(root.resolve("checkpoints/job2/chk-3")); // incomplete
    assertThat(new StateDir(root).latest().orElseThrow().path()).isEqualTo(chk);
    snapshot("savepoints/savepoint-job2-b", "2026-12-01T11:00:01Z");
    StateDir.Snapshot latest = new StateDir(root).latest().orElseThrow();
    assertThat(latest.savepoint()).isTrue();
    assertThat(latest.path()).isEqualTo(root.resolve("savepoints/savepoint-job2-b"));
    assertThat(sp).exists();
  }

  @Test
  void pruningDeletesOnlyOlderRunsCheckpoints() throws Exception {
    snapshot("checkpoints/old/chk-7", "2026-12-01T10:00:00Z");
    Files.createDirectories(
        root.resolve("checkpoints/never/shared")); // a run that never finished one
    Path kept = snapshot("checkpoints/kept/chk-2", "2026-12-01T11:00:00Z");
    Path sp = snapshot("savepoints/savepoint-old", "2026-12-01T09:00:00Z");
    StateDir dir = new StateDir(root);
    assertThat(dir.pruneCheckpointsBefore(dir.latest().orElseThrow())).isEqualTo(2);
    assertThat(root.resolve("checkpoints/old")).doesNotExist();
    assertThat(root.resolve("checkpoints/never")).doesNotExist();
    assertThat(kept).exists();
    assertThat(sp).exists();
  }
}
