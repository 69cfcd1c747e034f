package cn.xingan.kpi.cli;

import cn.xingan.kpi.local.LocalMetrics;
import cn.xingan.kpi.metrics.KpiMetrics;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;

/**
 * What a local job has done so far, from its own metrics ({@link KpiMetrics}, read in-process by
 * {@link LocalMetrics}): events read per stream, bytes read, rejections by reason, duplicates, rows
 * written per table. The progress lines and summaries of {@code bin/kpi} print it.
 */
record JobCounts(
    Map<String, Long> eventsByStream,
    long bytes,
    Map<String, Long> rejectedByReason,
    long duplicates,
    Map<String, Long> rowsByTable) {

  static JobCounts of(JobID job) {
    return new JobCounts(
        LocalMetrics.counterSumsBy(job, KpiMetrics.EVENTS_IN, KpiMetrics.STREAM),
        LocalMetrics.counterSum(job, KpiMetrics.BYTES_IN),
        LocalMetrics.counterSumsBy(job, KpiMetrics.REJECTED, KpiMetrics.REASON),
        LocalMetrics.counterSum(job, KpiMetrics.DUPLICATES),
        LocalMetrics.counterSumsBy(job, KpiMetrics.ROWS_WRITTEN, KpiMetrics.TABLE));
  }

  long events() {
    return eventsByStream.values().stream().mapToLong(Long::longValue).sum();
  }

  long rejected() {
    return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  long rows() {
    return rowsByTable.values().stream().mapToLong(Long::longValue).sum();
  }

  /** {@code a 1,234, b 5} (or {@code none}). */
  static String list(Map<String, Long> counts) {
    return counts.isEmpty()
        ? "none"
        : counts.entrySet().stream()
            .map(e -> e.getKey() + " " + String.format("%,d", e.getValue()))
            .collect(Collectors.joining(", "));
  }
}
