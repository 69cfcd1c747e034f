package cn.xingan.kpi.kpi;

/**
 * Base of the per-period accumulators kept in keyed state: how many events the row reflects (its
 * version, doubled, plus one once final) and what it reflected when last emitted, so a rolling row
 * is re-emitted only when it changed. Subclasses are Flink POJOs: public fields, no-arg
 * constructor.
 */
public abstract class PeriodAccumulator {
  public long events;

  /** {@link RollingPeriodFunction#changes} when the row was last emitted. */
  public long emittedEvents = -1;

  /**
   * The processing time that emit was due (a timer's time, not the later moment it fired, so
   * rolling emits one interval apart are never taken for too close); meaningless while {@link
   * #emittedEvents} is -1.
   */
  public long emittedAt;

  /** The id of the last event added, to name it if the row turns out invalid. */
  public String lastEvent = "";

  /** The row version: grows with every event, and the final row beats the last rolling one. */
  public long version(boolean isFinal) {
    return events * 2 + (isFinal ? 1 : 0);
  }

  /**
   * Whether the period's final row is out and it is only kept for inputs that may still change it
   * (see {@link RollingPeriodFunction#keptUntil}). Never, unless a subclass stores it: most periods
   * are forgotten with their final row.
   */
  public boolean isClosed() {
    return false;
  }

  /** Marks the final row as out; only a subclass that stores the flag can. */
  public void close() {
    throw new UnsupportedOperationException(
        getClass().getSimpleName()
            + " has no closed flag: its function must not keep a period after its final row");
  }
}
