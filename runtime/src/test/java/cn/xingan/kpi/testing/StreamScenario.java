// The fault tests (task failures, outages, restarts, savepoints, fuzzing) are the same for every
// input stream: produce its events, run the job through the fault, compare every final row with an
// independent oracle. This is the one thing each stream supplies, so that the project-progress and
// market-stall-counts streams join those tests with a small class each.
package cn.xingan.kpi.testing;

import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.sink.ClickHouseHttp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One input stream's part in a fault test: what to produce and what must come out. */
interface StreamScenario {

  /** The stream; its topic is where {@link #records()} go. */
  EventStream stream();

  /**
   * The valid events as (record key, JSON value) pairs in the order to send them, each event once.
   * Sent in this order, none of them may be late.
   */
  List<Map.Entry<String, String>> records();

  /** The table the stream's KPI rows land in, e.g. {@code kpi_service}. */
  String table();

  /**
   * The expected final row of every key the events produce, each as column name → value: every
   * column of the table except the key columns ({@link KpiRowKey#COLUMNS}) and {@code updated_at},
   * including {@code events}, {@code is_final} (1) and {@code version}. Values are {@code Long} for
   * integer columns, {@code Double} for Float64 (compared within 1e-9 relative), {@code BigDecimal}
   * for Decimal and {@code String} for String columns. Computed by an oracle of the test's own from
   * the contract, never by the code under test.
   */
  Map<KpiRowKey, Map<String, Object>> expectedFinalRows();

  /** The value columns, in the table's order, as {@link #expectedFinalRows()} names them. */
  List<String> valueColumns();

  /**
   * A valid record of the stream stamped {@code time}, with event id {@code eventId}, standing
   * alone (e.g. a project's registration). Unbounded runs send one far ahead of the events on every
   * partition to move the watermark past every period of {@link #records()}, so that their rows
   * become final; its own rows stay rolling and are not compared.
   */
  Map.Entry<String, String> eventAt(Instant time, String eventId);

  /**
   * When the unbounded runs' sentinels ({@link #eventAt}) are stamped: after the end of every
   * period of {@link #records()} plus the allowed lateness (7 days) and the harness's watermark
   * bound, so that every row the oracle expects becomes final. Every period of the sentinel itself
   * ends on or after its local date, so rows ending before that date are the compared ones.
   */
  Instant sentinelTime();

  /**
   * What is wrong with the stream's results beyond its KPI table (such as {@code project_alerts}),
   * one line per problem; nothing by default. Event-time rules have run up to {@code rulesUpTo}:
   * {@code null} for a bounded run (the input's largest event time), else the watermark the
   * sentinels moved the job to.
   */
  default List<String> otherProblems(ClickHouseHttp http, Instant rulesUpTo) {
    return List.of();
  }
}
