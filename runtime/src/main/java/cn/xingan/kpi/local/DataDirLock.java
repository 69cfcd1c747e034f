// Kafka locks its log directory only once the broker half starts, after the controller half has
// already written to the metadata log; a second broker on the same directory (bin/kpi started
// twice) would corrupt it. This lock is taken before anything is touched.
package cn.xingan.kpi.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** An exclusive OS file lock on a data directory, held by at most one broker in any process. */
final class DataDirLock implements AutoCloseable {

  static final String FILE_NAME = ".embedded-kafka.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static DataDirLock acquire(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    FileChannel channel = null;
    try {
      Files.createDirectories(dataDir);
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw inUse(file, null);
      }
      return new DataDirLock(channel, lock);
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw inUse(file, e);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("Could not lock Kafka data directory " + dataDir, e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // Closing the channel below releases the lock as well.
    } finally {
      closeQuietly(channel);
    }
  }

  private static IllegalStateException inUse(Path file, Throwable cause) {
    return new IllegalStateException(
        "Kafka data directory "
            + file.getParent()
            + " is in use by another embedded broker (lock "
            + file
            + "); stop it or use another directory",
        cause);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Nothing left to release.
      }
    }
  }
}
