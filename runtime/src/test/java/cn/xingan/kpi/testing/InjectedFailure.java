// A task failure in the middle of a stream, after at least one checkpoint, so that the job really
// restores state and rewinds Kafka offsets instead of starting over from nothing.
package cn.xingan.kpi.testing;

import cn.xingan.kpi.events.Envelope;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Passes records through (sleeping {@code throttleMillis} after each) and throws on the {@code
 * afterRecords}-th record of an attempt once a checkpoint has completed in that attempt, until the
 * job has failed {@code times} times in all. One subtask fails per attempt: the attempt number (the
 * same on all subtasks after a global restart) must match the failures so far.
 *
 * <p>The failure count is static: the MiniCluster runs the tasks in the test's JVM, and a restarted
 * task is a new instance. Call {@link #reset()} before each job.
 */
final class InjectedFailure extends RichMapFunction<Envelope, Envelope>
    implements CheckpointListener {
  private static final long serialVersionUID = 1L;
  private static final AtomicInteger FAILURES = new AtomicInteger();

  private final int times;
  private final long afterRecords;
  private final long throttleMillis;
  private transient long seen;
  private transient int attempt;
  private transient volatile boolean checkpointed;

  InjectedFailure(int times, long afterRecords, long throttleMillis) {
    this.times = times;
    this.afterRecords = afterRecords;
    this.throttleMillis = throttleMillis;
  }

  static void reset() {
    FAILURES.set(0);
  }

  /** How many failures were injected since {@link #reset()}. */
  static int failures() {
    return FAILURES.get();
  }

  @Override
  public void open(OpenContext context) {
    seen = 0;
    attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
  }

  @Override
  public Envelope map(Envelope e) throws Exception {
    if (throttleMillis > 0) {
      Thread.sleep(throttleMillis);
    }
    if (++seen >= afterRecords
        && checkpointed
        && attempt < times
        && FAILURES.compareAndSet(attempt, attempt + 1)) {
      throw new IllegalStateException(
          "injected failure "
              + (attempt + 1)
              + " of "
              + times
              + " (attempt "
              + attempt
              + ", record "
              + seen
              + " of this attempt)");
    }
    return e;
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    checkpointed = true;
  }
}
