package cn.xingan.kpi.project;

import cn.xingan.kpi.alerts.AlertRule;
import cn.xingan.kpi.alerts.ProjectAlert;
import cn.xingan.kpi.events.ProjectRegistration;
import cn.xingan.kpi.periods.CalendarPeriods;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.MapState;

/**
 * A project's alerts, one per rule, in keyed state: the latest version of each, so the next step
 * (severity change, resolution) continues its version, and an alert reopened under the same id
 * (same rule, same local day) continues it too instead of going back to version 1.
 */
final class AlertBook {
  private final MapState<String, ProjectAlert> latest;
  private final CalendarPeriods calendar;
  private final String projectId;
  private final long now;
  private final Consumer<ProjectAlert> out;

  AlertBook(
      MapState<String, ProjectAlert> latest,
      CalendarPeriods calendar,
      String projectId,
      long now,
      Consumer<ProjectAlert> out) {
    this.latest = latest;
    this.calendar = calendar;
    this.projectId = projectId;
    this.now = now;
    this.out = out;
  }

  boolean isOpen(AlertRule rule) throws Exception {
    ProjectAlert a = latest.get(rule.code());
    return a != null && a.isOpen();
  }

  String severity(AlertRule rule) throws Exception {
    return latest.get(rule.code()).severity();
  }

  void open(AlertRule rule, ProjectRegistration r, long at, String severity, String detail)
      throws Exception {
    String id = projectId + ":" + rule.code() + ":" + calendar.localDate(at);
    ProjectAlert previous = latest.get(rule.code());
    long version = previous != null && previous.alertId().equals(id) ? previous.version() + 1 : 1;
    emit(
        new ProjectAlert(
            id,
            projectId,
            r.projectName(),
            r.county(),
            r.chain(),
            rule.code(),
            severity,
            ProjectAlert.OPEN,
            at,
            0,
            detail,
            version,
            now));
  }

  void changeSeverity(AlertRule rule, ProjectRegistration r, String severity, String detail)
      throws Exception {
    ProjectAlert a = latest.get(rule.code());
    emit(next(a, r, severity, ProjectAlert.OPEN, 0, detail));
  }

  void resolve(AlertRule rule, ProjectRegistration r, long at, String detail) throws Exception {
    ProjectAlert a = latest.get(rule.code());
    // An event that reaches the tracker after later ones (streaming, behind the watermark) may
    // resolve an alert opened after its own time: it resolves then, not before it opened.
    long resolvedAt = Math.max(at, a.openedAt());
    emit(next(a, r, a.severity(), ProjectAlert.RESOLVED, resolvedAt, detail));
  }

  /** Resolves every open alert, e.g. when the project completes. */
  void resolveAll(ProjectRegistration r, long at, String detail) throws Exception {
    for (AlertRule rule : AlertRule.values()) {
      if (isOpen(rule)) {
        resolve(rule, r, at, detail);
      }
    }
  }

  /** Forgets every alert (after {@link #resolveAll}: a completed project is checked no more). */
  void clear() {
    latest.clear();
  }

  private ProjectAlert next(
      ProjectAlert a,
      ProjectRegistration r,
      String severity,
      String status,
      long resolvedAt,
      String detail) {
    return new ProjectAlert(
        a.alertId(),
        projectId,
        r.projectName(),
        r.county(),
        r.chain(),
        a.rule(),
        severity,
        status,
        a.openedAt(),
        resolvedAt,
        detail,
        a.version() + 1,
        now);
  }

  private void emit(ProjectAlert a) throws Exception {
    latest.put(a.rule(), a);
    out.accept(a);
  }
}
