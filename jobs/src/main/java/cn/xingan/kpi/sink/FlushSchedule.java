package cn.xingan.kpi.sink;

import java.time.Duration;

/**
 * When a {@link ClickHouseWriter} writes a partial batch. Rolling rows come in bursts (every key's
 * emit timer fires at the same aligned instant), so waiting the whole batch interval after a
 * burst's first row only delays what is already complete: a batch is written once rows stop coming
 * for {@link #QUIET} (the burst ended), at the latest the batch interval after its first row, and
 * never sooner than {@link #MIN_GAP} after the previous write, which keeps a table at no more than
 * one insert a second however the rows trickle in (ClickHouse merges every insert's part). Full
 * batches and checkpoints write at once regardless. Times are milliseconds of processing time.
 */
final class FlushSchedule {
  static final Duration QUIET = Duration.ofMillis(200);
  static final Duration MIN_GAP = Duration.ofSeconds(1);

  private final long quiet;
  private final long interval;
  private final long minGap;
  private long firstRow = Long.MIN_VALUE; // of the rows not written yet
  private long lastRow;
  private long lastWrite = Long.MIN_VALUE;

  FlushSchedule(Duration batchInterval) {
    this.interval = batchInterval.toMillis();
    this.quiet = Math.min(QUIET.toMillis(), interval);
    this.minGap = Math.min(MIN_GAP.toMillis(), interval);
  }

  void rowAdded(long now) {
    if (firstRow == Long.MIN_VALUE) {
      firstRow = now;
    }
    lastRow = now;
  }

  /** Whether the rows waiting should be written now. */
  boolean due(long now) {
    return firstRow != Long.MIN_VALUE && now >= nextCheck();
  }

  /** When to look again while rows wait: the earliest time {@link #due} can turn true. */
  long nextCheck() {
    long burstEnd = Math.min(lastRow + quiet, firstRow + interval);
    return lastWrite == Long.MIN_VALUE ? burstEnd : Math.max(lastWrite + minGap, burstEnd);
  }

  void written(long now) {
    firstRow = Long.MIN_VALUE;
    lastWrite = now;
  }
}
