package cn.xingan.kpi.job;

import cn.xingan.kpi.events.Rejection;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * Counts rejections by reason, as a metric ({@code rejected}, grouped by {@code reason}) for a
 * running job's dashboards and as an accumulator ({@code rejected.<reason>}) that a finished
 * backfill reports to its user.
 */
public final class CountRejections extends RichMapFunction<Rejection, Rejection> {
  private static final long serialVersionUID = 1L;
  public static final String ACCUMULATOR_PREFIX = "rejected.";

  private transient Map<String, Counter> metrics;
  private transient Map<String, LongCounter> accumulators;

  @Override
  public Rejection map(Rejection r) {
    if (metrics == null) {
      metrics = new HashMap<>();
      accumulators = new HashMap<>();
    }
    metrics
        .computeIfAbsent(
            r.reason(),
            reason ->
                getRuntimeContext().getMetricGroup().addGroup("reason", reason).counter("rejected"))
        .inc();
    accumulators
        .computeIfAbsent(
            r.reason(),
            reason -> {
              LongCounter c = new LongCounter();
              getRuntimeContext().addAccumulator(ACCUMULATOR_PREFIX + reason, c);
              return c;
            })
        .add(1);
    return r;
  }
}
