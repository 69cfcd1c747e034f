package cn.xingan.kpi.project;

import cn.xingan.kpi.alerts.AlertRule;
import cn.xingan.kpi.alerts.ProjectAlert;
import cn.xingan.kpi.events.ProjectRegistration;
import cn.xingan.kpi.periods.CalendarPeriods;
import java.util.Map;

/**
 * A project's alerts as its history makes them, one per rule: the latest version of each (kept in
 * {@link ProjectState#alerts}), so the next step (severity change, resolution) continues its
 * version, and an alert reopened under the same id (same rule, same local day) continues it too
 * instead of going back to version 1. Every step goes to a {@link Steps} listener with the instant
 * of the history at which it happened; what is emitted, and with which version, the tracker decides
 * ({@link AlertVersions}).
 */
final class AlertBook {
  /** Receives each alert step and the event-time instant it happened at. */
  interface Steps {
    void step(ProjectAlert alert, long at);
  }

  private final Map<String, ProjectAlert> latest;
  private final CalendarPeriods calendar;
  private final String projectId;
  private final long now;
  private final Steps out;

  AlertBook(ProjectState s, CalendarPeriods calendar, String projectId, long now, Steps out) {
    this.latest = s.alerts;
    this.calendar = calendar;
    this.projectId = projectId;
    this.now = now;
    this.out = out;
  }

  boolean isOpen(AlertRule rule) {
    ProjectAlert a = latest.get(rule.code());
    return a != null && a.isOpen();
  }

  String severity(AlertRule rule) {
    return latest.get(rule.code()).severity();
  }

  void open(AlertRule rule, ProjectRegistration r, long at, String severity, String detail) {
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
            now,
            false),
        at);
  }

  void changeSeverity(
      AlertRule rule, ProjectRegistration r, long at, String severity, String detail) {
    ProjectAlert a = latest.get(rule.code());
    emit(next(a, r, severity, ProjectAlert.OPEN, 0, detail), at);
  }

  void resolve(AlertRule rule, ProjectRegistration r, long at, String detail) {
    ProjectAlert a = latest.get(rule.code());
    // Rules run in event-time order, so a resolution is never before the opening; the max only
    // guards the invariant that resolved_at >= opened_at.
    long resolvedAt = Math.max(at, a.openedAt());
    emit(next(a, r, a.severity(), ProjectAlert.RESOLVED, resolvedAt, detail), at);
  }

  /** Resolves every open alert, e.g. when the project completes. */
  void resolveAll(ProjectRegistration r, long at, String detail) {
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
        now,
        false);
  }

  private void emit(ProjectAlert a, long at) {
    latest.put(a.rule(), a);
    out.step(a, at);
  }
}
