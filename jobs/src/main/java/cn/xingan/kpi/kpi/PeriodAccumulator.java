package cn.xingan.kpi.kpi;

/**
 * Base of the per-period accumulators kept in keyed state: how many events the row reflects (its
 * version, doubled, plus one once final) and how many it reflected when last emitted, so a rolling
 * row is re-emitted only when it changed. Subclasses are Flink POJOs: public fields, no-arg
 * constructor.
 */
public abstract class PeriodAccumulator {
  public long events;
  public long emittedEvents = -1;

  /** The id of the last event added, to name it if the row turns out invalid. */
  public String lastEvent = "";

  /** The row version: grows with every event, and the final row beats the last rolling one. */
  public long version(boolean isFinal) {
    return events * 2 + (isFinal ? 1 : 0);
  }

  public boolean changedSinceEmit() {
    return events != emittedEvents;
  }
}
