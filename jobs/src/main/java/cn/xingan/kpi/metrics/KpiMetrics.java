package cn.xingan.kpi.metrics;

import org.apache.flink.metrics.MetricGroup;

/**
 * The pipeline's own metrics, named once (README "Metrics" lists them): under a {@code kpi} group,
 * per stream (label {@code stream}: the topic name, or {@code unknown} for a record whose stream
 * could not be read) and per table (label {@code table}). Flink's reporters export them — the
 * Prometheus reporter as {@code flink_taskmanager_job_task_operator_kpi_stream_<metric>} with the
 * labels — and {@code bin/kpi} reads them in-process for its progress lines and summaries.
 */
public final class KpiMetrics {
  public static final String GROUP = "kpi";
  public static final String STREAM = "stream";
  public static final String TABLE = "table";
  public static final String REASON = "reason";

  /** Records read from the source, decoded or not. */
  public static final String EVENTS_IN = "eventsIn";

  /** Bytes of those records (progress of a backfill against the files' size). */
  public static final String BYTES_IN = "bytesIn";

  /** Records rejected, with a {@code reason} label (late, malformed_json, …). */
  public static final String REJECTED = "rejected";

  /** Events rejected because one of their periods is already final (also in {@code rejected}). */
  public static final String LATE = "late";

  /** Repeated event ids dropped. */
  public static final String DUPLICATES = "duplicates";

  /** Wall clock minus the watermark at the admitting operator, in milliseconds. */
  public static final String WATERMARK_LAG_MS = "watermarkLagMs";

  /** Rows inserted into a ClickHouse table. */
  public static final String ROWS_WRITTEN = "rowsWritten";

  /** Insert attempts that failed (each retry counts). */
  public static final String FAILED_INSERTS = "failedInserts";

  /** How long a successful insert batch took, in milliseconds (a histogram). */
  public static final String INSERT_LATENCY_MS = "insertLatencyMs";

  /** Retries of insert batches (kept under its first name). */
  public static final String CLICKHOUSE_RETRIES = "clickhouseRetries";

  private KpiMetrics() {}

  /** The group of one stream's metrics. */
  public static MetricGroup stream(MetricGroup operator, String stream) {
    return operator.addGroup(GROUP).addGroup(STREAM, stream);
  }

  /** The group of one table's metrics. */
  public static MetricGroup table(MetricGroup operator, String table) {
    return operator.addGroup(GROUP).addGroup(TABLE, table);
  }
}
