package cn.xingan.kpi.project;

import cn.xingan.kpi.alerts.ProjectAlert;
import cn.xingan.kpi.config.ProjectOptions;
import cn.xingan.kpi.events.ProjectEvent;
import cn.xingan.kpi.kpi.ScopeKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * The project stream's two keyed stages in Flink's operator test harnesses, chained as the job
 * chains them: a {@link ProjectTracker} whose facts go on to a {@link ProjectKpiFunction}, both
 * seeing the same watermarks. Rows are read as ClickHouse reads them with FINAL: per key, the row
 * with the highest version.
 */
final class PipelineHarness implements AutoCloseable {
  final TrackerHarness tracker;
  private final KeyedOneInputStreamOperatorTestHarness<ScopeKey, ProjectFact, ProjectKpiRow> kpi;
  private final List<ProjectKpiRow> written = new ArrayList<>();
  private final List<ProjectAlert> alerts = new ArrayList<>();

  /**
   * @param bounded as a backfill runs it (every event first, then the end of the input)
   */
  PipelineHarness(boolean bounded) throws Exception {
    this(ProjectOptions.defaults(), bounded);
  }

  PipelineHarness(ProjectOptions options, boolean bounded) throws Exception {
    tracker = new TrackerHarness(options, bounded);
    kpi =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(
                new ProjectKpiFunction(
                    TrackerHarness.CALENDAR,
                    Duration.ofDays(7),
                    options.registrationWait(),
                    bounded ? null : Duration.ofSeconds(10))),
            ProjectFact::scope,
            TypeInformation.of(ScopeKey.class));
    kpi.open();
    kpi.setProcessingTime(0);
  }

  void send(ProjectEvent e) throws Exception {
    tracker.send(e);
    pump();
  }

  /** Moves the watermark of both stages, as a watermark flows through the job. */
  void watermark(long w) throws Exception {
    tracker.watermark(w);
    pump();
    kpi.processWatermark(w);
    collect();
  }

  /** Lets the rolling timer fire (10 s of processing time). */
  void tick() throws Exception {
    kpi.setProcessingTime(kpi.getProcessingTime() + 10_000);
    collect();
  }

  /** The end of the input: its largest event time reaches the tracker, then the last watermark. */
  void endOfInput(String inputEnd) throws Exception {
    tracker.h.processBroadcastElement(TrackerHarness.at(inputEnd), 0L);
    watermark(Long.MAX_VALUE);
  }

  private void pump() throws Exception {
    for (ProjectFact f : tracker.facts()) {
      kpi.processElement(new StreamRecord<>(f, f.time()));
    }
    alerts.addAll(tracker.alerts());
    collect();
  }

  private void collect() {
    written.addAll(kpi.extractOutputValues());
    kpi.getOutput().clear();
  }

  /** Every row written so far, in order. */
  List<ProjectKpiRow> written() {
    return written;
  }

  /** Every alert version emitted so far, in order. */
  List<ProjectAlert> alertVersions() {
    alerts.addAll(tracker.alerts());
    return alerts;
  }

  /** The rows as FINAL reads them, by {@code period|start|scope|key}. */
  Map<String, ProjectKpiRow> rows() {
    Map<String, ProjectKpiRow> latest = new TreeMap<>();
    for (ProjectKpiRow r : written) {
      latest.merge(key(r), r, (a, b) -> b.version() >= a.version() ? b : a);
    }
    return latest;
  }

  /** The alerts as FINAL reads them: per alert id, the highest version. */
  Map<String, ProjectAlert> alerts() {
    Map<String, ProjectAlert> latest = new TreeMap<>();
    for (ProjectAlert a : alertVersions()) {
      latest.merge(a.alertId(), a, (x, y) -> y.version() >= x.version() ? y : x);
    }
    return latest;
  }

  ProjectKpiRow row(String period, String start, String scope, String key) {
    ProjectKpiRow r = rows().get(period + "|" + start + "|" + scope + "|" + key);
    if (r == null) {
      throw new AssertionError(
          "no " + period + " row from " + start + " for " + scope + " '" + key + "'");
    }
    return r;
  }

  static String key(ProjectKpiRow r) {
    return r.period() + "|" + r.periodStart() + "|" + r.scope() + "|" + r.scopeKey();
  }

  int kpiStateEntries() {
    return kpi.numKeyedStateEntries();
  }

  @Override
  public void close() throws Exception {
    tracker.close();
    kpi.close();
  }
}
