package cn.xingan.kpi.kpi;

import java.io.Serializable;

/**
 * What one stream's KPIs are made of, for pre-aggregation and the final merge: the scopes an event
 * counts in, how an event adds to a scope's figures, and how two partial figures merge. Adding
 * events one by one or merging partials in any grouping must give the same figures (as Flink's
 * {@code AggregateFunction#merge} requires), so rows do not depend on how events were batched.
 */
public interface SliceFigures<E, ACC extends PeriodAccumulator> extends Serializable {
  long eventTime(E event);

  String eventId(E event);

  /**
   * Every scope key the event counts in, as its two parts: the pre-aggregation looks a slice up by
   * them without making a {@link ScopeKey} per event and scope (a fifth of its allocations).
   */
  void scopes(E event, ScopeConsumer out);

  /** What takes each scope an event counts in: {@code new ScopeKey(scope, key)}'s parts. */
  @FunctionalInterface
  interface ScopeConsumer {
    void accept(String scope, String key);
  }

  ACC create();

  /** Adds one event's figures (not {@code events}, which the caller counts). */
  void add(ACC figures, E event);

  /** Adds {@code from}'s figures into {@code into} (not {@code events}, which the caller sums). */
  void merge(ACC into, ACC from);
}
