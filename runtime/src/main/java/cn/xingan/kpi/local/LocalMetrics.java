// A MiniCluster exposes metrics only to reporters. bin/kpi's progress lines and summaries, and the
// tests, read the job's own counters (events in, rejected by reason, rows written, duplicates, the
// number of restarts) in the same JVM: this reporter keeps a reference to every counter and gauge
// it is told about, with its labels, so they can be read while the job runs and after it ended.
package cn.xingan.kpi.local;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * An in-process metric reporter for local runs and tests. Add it with {@link
 * #addTo(Configuration)}; then {@link #counterSum} sums a counter over every subtask and attempt of
 * a job (optionally of one label value), {@link #counterSumsBy} per label value, and {@link #gauge}
 * reads a job-level gauge.
 */
public final class LocalMetrics implements MetricReporter {
  private static final String NAME = "local";

  /** One metric as registered: its job, name, labels (user groups and Flink's) and itself. */
  private record Registered(String jobId, String name, Map<String, String> labels, Metric metric) {}

  private static final List<Registered> METRICS = new CopyOnWriteArrayList<>();
  private static final Set<Metric> REMOVED =
      Collections.newSetFromMap(Collections.synchronizedMap(new IdentityHashMap<>()));

  /** The configuration with this reporter added. */
  public static Configuration addTo(Configuration conf) {
    MetricOptions.forReporter(conf, NAME)
        .set(MetricOptions.REPORTER_FACTORY_CLASS, Factory.class.getName());
    return conf;
  }

  /** The sum of every instance of counter {@code name} the job registered (0 if none). */
  public static long counterSum(JobID job, String name) {
    return sum(job, name, r -> true);
  }

  /** The same, of the instances whose label {@code key} has {@code value}. */
  public static long counterSum(JobID job, String name, String key, String value) {
    return sum(job, name, r -> value.equals(r.labels.get(key)));
  }

  /** The counter's sums per value of label {@code key}, sorted by value. */
  public static Map<String, Long> counterSumsBy(JobID job, String name, String key) {
    Map<String, Long> sums = new TreeMap<>();
    counters(job, name, r -> r.labels.containsKey(key))
        .forEach(r -> sums.merge(r.labels.get(key), ((Counter) r.metric).getCount(), Long::sum));
    return sums;
  }

  /** How many instances of counter {@code name} the job registered (one per subtask attempt). */
  public static long counterInstances(JobID job, String name) {
    return counters(job, name, r -> true).count();
  }

  /**
   * How many values the job's histograms {@code name} have seen, summed per value of label {@code
   * key} (e.g. inserts per table, from the sinks' insert latency histograms).
   */
  public static Map<String, Long> histogramCountsBy(JobID job, String name, String key) {
    Map<String, Long> counts = new TreeMap<>();
    METRICS.stream()
        .filter(r -> r.jobId.equals(job.toHexString()) && r.name.equals(name))
        .filter(r -> r.metric instanceof Histogram && r.labels.containsKey(key))
        .forEach(
            r -> counts.merge(r.labels.get(key), ((Histogram) r.metric).getCount(), Long::sum));
    return counts;
  }

  /** The current value of the job's gauge {@code name} (e.g. {@code numRestarts}), or null. */
  public static Object gauge(JobID job, String name) {
    return METRICS.stream()
        .filter(r -> r.jobId.equals(job.toHexString()) && r.name.equals(name))
        .filter(r -> r.metric instanceof Gauge)
        .map(r -> ((Gauge<?>) r.metric).getValue())
        .findFirst()
        .orElse(null);
  }

  /**
   * The values of the gauges {@code name} of the job's running tasks (not of attempts that ended),
   * grouped by label {@code key}, sorted by it.
   */
  public static Map<String, List<Object>> liveGaugesBy(JobID job, String name, String key) {
    Map<String, List<Object>> values = new TreeMap<>();
    METRICS.stream()
        .filter(r -> r.jobId.equals(job.toHexString()) && r.name.equals(name))
        .filter(r -> r.metric instanceof Gauge && !REMOVED.contains(r.metric))
        .filter(r -> r.labels.containsKey(key))
        .forEach(
            r ->
                values
                    .computeIfAbsent(r.labels.get(key), k -> new ArrayList<>())
                    .add(((Gauge<?>) r.metric).getValue()));
    return values;
  }

  private static long sum(JobID job, String name, Predicate<Registered> which) {
    return counters(job, name, which).mapToLong(r -> ((Counter) r.metric).getCount()).sum();
  }

  private static java.util.stream.Stream<Registered> counters(
      JobID job, String name, Predicate<Registered> which) {
    return METRICS.stream()
        .filter(r -> r.jobId.equals(job.toHexString()) && r.name.equals(name))
        .filter(r -> r.metric instanceof Counter)
        .filter(which);
  }

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
    Map<String, String> labels = new TreeMap<>();
    group.getAllVariables().forEach((k, v) -> labels.put(k.replaceAll("^<|>$", ""), v));
    String job = labels.get("job_id");
    if (job != null
        && (metric instanceof Counter || metric instanceof Gauge || metric instanceof Histogram)) {
      METRICS.add(new Registered(job, name, Map.copyOf(labels), metric));
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
    // Kept: the counts are read after the job (and its metric groups) ended; marked, so that
    // liveGaugesBy leaves out the gauges of tasks that are gone.
    REMOVED.add(metric);
  }

  /** Found by Flink through META-INF/services. */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new LocalMetrics();
    }
  }
}
