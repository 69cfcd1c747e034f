package cn.xingan.kpi.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a local run left in its state dir: retained checkpoints ({@code
 * checkpoints/<job-id>/chk-N/_metadata}, written by Flink's filesystem checkpoint storage) and
 * savepoints ({@code savepoints/savepoint-…/_metadata}). A checkpoint or savepoint counts only once
 * its {@code _metadata} exists: Flink writes that file last, when the snapshot is complete.
 */
final class StateDir {
  static final String METADATA = "_metadata";

  /** A completed snapshot: its folder (what Flink restores from) and when it completed. */
  record Snapshot(Path path, FileTime completed, boolean savepoint) {}

  private final Path root;

  StateDir(Path root) {
    this.root = root.toAbsolutePath();
  }

  Path root() {
    return root;
  }

  /** The most recently completed checkpoint or savepoint, if any. */
  Optional<Snapshot> latest() {
    return snapshots().stream().max(Comparator.comparing(Snapshot::completed));
  }

  /** Every completed checkpoint and savepoint in the state dir. */
  List<Snapshot> snapshots() {
    List<Snapshot> all = new ArrayList<>();
    // checkpoints/<job-id>/chk-N/_metadata
    for (Path job : children(root.resolve("checkpoints"))) {
      for (Path chk : children(job)) {
        completed(chk, false).ifPresent(all::add);
      }
    }
    for (Path sp : children(root.resolve("savepoints"))) {
      completed(sp, true).ifPresent(all::add);
    }
    return all;
  }

  /**
   * Deletes the checkpoint folders of earlier runs older than {@code kept} (the snapshot this run
   * restores from stays, as do all savepoints): each run writes into a folder of its own job id,
   * and after a restore Flink's first checkpoint is a full one, so nothing newer refers to them.
   */
  int pruneCheckpointsBefore(Snapshot kept) {
    int deleted = 0;
    for (Path job : children(root.resolve("checkpoints"))) {
      if (kept.path().startsWith(job)) {
        continue;
      }
      Optional<FileTime> newest =
          children(job).stream()
              .flatMap(chk -> completed(chk, false).stream())
              .map(Snapshot::completed)
              .max(Comparator.naturalOrder());
      if (newest.isEmpty() || newest.get().compareTo(kept.completed()) < 0) {
        deleteTree(job);
        deleted++;
      }
    }
    return deleted;
  }

  /** Bytes under the state dir (what a user sees with du). */
  long bytes() {
    if (!Files.exists(root)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).mapToLong(StateDir::size).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<Snapshot> completed(Path dir, boolean savepoint) {
    Path metadata = dir.resolve(METADATA);
    if (!Files.isRegularFile(metadata)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Snapshot(dir, Files.getLastModifiedTime(metadata), savepoint));
    } catch (IOException e) {
      return Optional.empty(); // deleted meanwhile
    }
  }

  private static List<Path> children(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
