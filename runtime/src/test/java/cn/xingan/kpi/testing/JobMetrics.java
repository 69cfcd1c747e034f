// The fault tests must see the job's own counters — `duplicates` from DropDuplicates, the number of
// restarts — and a MiniCluster exposes metrics only to reporters. This reporter keeps a reference
// to every counter and gauge it is told about, so a test can read them after the job ended.
package cn.xingan.kpi.testing;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A metric reporter for MiniCluster tests. Add it with {@link #addTo(Configuration)} to the
 * cluster's configuration; then {@link #counterSum(JobID, String)} sums a counter over every
 * subtask and attempt of a job, and {@link #gauge(JobID, String)} reads a job-level gauge.
 */
public final class JobMetrics implements MetricReporter {
  private static final String NAME = "faulttests";

  private record Registered(String jobId, String name, Metric metric) {}

  private static final List<Registered> METRICS = new CopyOnWriteArrayList<>();

  /** The configuration with this reporter added. */
  static Configuration addTo(Configuration conf) {
    MetricOptions.forReporter(conf, NAME)
        .set(MetricOptions.REPORTER_FACTORY_CLASS, Factory.class.getName());
    return conf;
  }

  /** The sum of every instance of counter {@code name} the job registered (0 if none). */
  static long counterSum(JobID job, String name) {
    return METRICS.stream()
        .filter(r -> r.jobId.equals(job.toHexString()) && r.name.equals(name))
        .filter(r -> r.metric instanceof Counter)
        .mapToLong(r -> ((Counter) r.metric).getCount())
        .sum();
  }

  /** How many instances of counter {@code name} the job registered (one per subtask attempt). */
  static long counterInstances(JobID job, String name) {
    return METRICS.stream()
        .filter(r -> r.jobId.equals(job.toHexString()) && r.name.equals(name))
        .filter(r -> r.metric instanceof Counter)
        .count();
  }

  /** The current value of the job's gauge {@code name} (e.g. {@code numRestarts}), or null. */
  static Object gauge(JobID job, String name) {
    return METRICS.stream()
        .filter(r -> r.jobId.equals(job.toHexString()) && r.name.equals(name))
        .filter(r -> r.metric instanceof Gauge)
        .map(r -> ((Gauge<?>) r.metric).getValue())
        .findFirst()
        .orElse(null);
  }

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
    Map<String, String> variables = group.getAllVariables();
    String job = variables.get("<job_id>");
    if (job != null && (metric instanceof Counter || metric instanceof Gauge)) {
      METRICS.add(new Registered(job, name, metric));
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
    // Kept: the test reads the counts after the job (and its metric groups) ended.
  }

  /** Found by Flink through META-INF/services. */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new JobMetrics();
    }
  }
}
