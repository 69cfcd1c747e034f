package cn.xingan.kpi.local.generate;

import java.util.Comparator;

/**
 * One simulated service transaction from acceptance to its outcome, as drawn by {@link
 * TransactionModel}. Kept as plain fields (epoch seconds, catalog indexes) because a lookback over
 * weeks of traffic creates many of them and serializes only the few that fall in the window.
 */
final class SimulatedTransaction {

  /** Order of completion, ties broken by generation order so sorting is deterministic. */
  static final Comparator<SimulatedTransaction> BY_OUTCOME_TIME =
      Comparator.comparingLong((SimulatedTransaction t) -> t.outcomeAt)
          .thenComparingLong(t -> t.bucket)
          .thenComparingInt(t -> t.index);

  /** The half-hour bucket (epoch seconds / 1800) it was accepted in, and its index there. */
  final long bucket;

  final int index;
  final int service;
  final Channel channel;
  final int county;
  final long acceptedAt;

  /** When it was completed or rejected (epoch seconds), always after {@link #acceptedAt}. */
  final long outcomeAt;

  final boolean rejected;
  final int visits;

  /** 1–5, or 0 when the citizen gave no rating. */
  final int satisfaction;

  SimulatedTransaction(
      long bucket,
      int index,
      int service,
      Channel channel,
      int county,
      long acceptedAt,
      long outcomeAt,
      boolean rejected,
      int visits,
      int satisfaction) {
    this.bucket = bucket;
    this.index = index;
    this.service = service;
    this.channel = channel;
    this.county = county;
    this.acceptedAt = acceptedAt;
    this.outcomeAt = outcomeAt;
    this.rejected = rejected;
    this.visits = visits;
    this.satisfaction = satisfaction;
  }
}
