package cn.xingan.kpi.kpi;

import java.util.List;
import java.util.function.Function;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last check before a result row leaves its function for the sink: a value ClickHouse would
 * refuse (a negative count in a UInt column, money beyond Decimal(18,2), NaN, a date it cannot
 * store) is a bug in the job, not bad input, and must not stop the job (the sink stops for good on
 * a value the server refuses, taking every stream with it). So the row is logged as an error with
 * the event that last changed it, counted in the metric {@code invalid_rows} (group {@code table}),
 * and not written.
 */
public final class RowGuard<R> {
  private static final Logger LOG = LoggerFactory.getLogger(RowGuard.class);

  private final String table;
  private final Function<R, List<String>> problems;
  private final Counter invalid;

  /**
   * @param problems the row's invalid columns, each named with its value and what was expected
   */
  public RowGuard(String table, Function<R, List<String>> problems, RuntimeContext context) {
    this(
        table, problems, context.getMetricGroup().addGroup("table", table).counter("invalid_rows"));
  }

  RowGuard(String table, Function<R, List<String>> problems, Counter invalid) {
    this.table = table;
    this.problems = problems;
    this.invalid = invalid;
  }

  /**
   * Whether the row may be written; if not, logs it with {@code cause} (the event that produced it)
   * and counts it.
   */
  public boolean admits(R row, String cause) {
    List<String> wrong = problems.apply(row);
    if (wrong.isEmpty()) {
      return true;
    }
    invalid.inc();
    LOG.error(message(row, wrong, cause));
    return false;
  }

  String message(R row, List<String> wrong, String cause) {
    return "Not writing a "
        + table
        + " row that ClickHouse would refuse ("
        + String.join("; ", wrong)
        + "); produced by "
        + cause
        + ". This is a bug in the job, please report it with this line. The row: "
        + row;
  }
}
