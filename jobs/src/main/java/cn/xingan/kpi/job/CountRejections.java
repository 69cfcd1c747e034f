package cn.xingan.kpi.job;

import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.events.Rejection;
import cn.xingan.kpi.metrics.KpiMetrics;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * Counts rejections by stream and reason as the metric {@link KpiMetrics#REJECTED} (labels {@code
 * stream} and {@code reason}), for a running job's dashboards and for the summary a finished
 * backfill prints. The stream is the record's topic; records of backfill files carry no stream of
 * their own and count under {@link #FILES}.
 */
public final class CountRejections extends RichMapFunction<Rejection, Rejection> {
  private static final long serialVersionUID = 1L;

  /** The {@code stream} label of rejections of backfill files. */
  public static final String FILES = "files";

  private static final Set<String> TOPICS =
      Arrays.stream(EventStream.values()).map(EventStream::topic).collect(Collectors.toSet());

  private transient Map<String, Counter> counters;

  @Override
  public Rejection map(Rejection r) {
    if (counters == null) {
      counters = new HashMap<>();
    }
    String stream = TOPICS.contains(r.source()) ? r.source() : FILES;
    counters
        .computeIfAbsent(
            stream + "\n" + r.reason(),
            k ->
                KpiMetrics.stream(getRuntimeContext().getMetricGroup(), stream)
                    .addGroup(KpiMetrics.REASON, r.reason())
                    .counter(KpiMetrics.REJECTED))
        .inc();
    return r;
  }
}
