package cn.xingan.kpi.project;

import cn.xingan.kpi.events.Milestone;
import cn.xingan.kpi.events.ProjectEventType;
import cn.xingan.kpi.kpi.ScopeKey;

/**
 * What one input event means for one scope of {@code kpi_project}, at one instant: the tracker of
 * the event's project sends one fact to each scope the event touches, and the scope's KPI function
 * adds facts up. A fact has two parts:
 *
 * <ul>
 *   <li>the <b>flow</b> of the periods that contain {@code time}: the event itself (it makes the
 *       row exist and counts in {@code events}), an investment amount, a report, a milestone;
 *   <li>the <b>stock</b> changes from {@code time} on, which every later period end sees: projects
 *       in the scope, their planned investment this year, their investment so far in the year of
 *       {@code time}, and the sum of their latest progress.
 * </ul>
 *
 * Keeping stock as changes at instants lets any period end ask "as of then" by adding up the
 * changes before it, whatever order facts arrive in. When an event arrives after events that it
 * precedes, the tracker takes back the facts its history no longer has: a {@link #retracted} copy
 * of a fact subtracts exactly what the fact added.
 */
public record ProjectFact(
    ScopeKey scope,
    long time,
    String projectId,
    String eventId,
    ProjectEventType type,
    long investmentCents,
    Milestone milestone,
    long projects,
    long plannedYearCents,
    long ytdCents,
    long progressMicros,
    boolean retracted) {

  /** The flow of an event without stock changes. */
  static ProjectFact flow(
      ScopeKey scope, long time, String projectId, String eventId, ProjectEventType type) {
    return new ProjectFact(scope, time, projectId, eventId, type, 0, null, 0, 0, 0, 0, false);
  }

  ProjectFact withInvestment(long cents) {
    return new ProjectFact(
        scope,
        time,
        projectId,
        eventId,
        type,
        cents,
        milestone,
        projects,
        plannedYearCents,
        ytdCents,
        progressMicros,
        retracted);
  }

  ProjectFact withMilestone(Milestone m) {
    return new ProjectFact(
        scope,
        time,
        projectId,
        eventId,
        type,
        investmentCents,
        m,
        projects,
        plannedYearCents,
        ytdCents,
        progressMicros,
        retracted);
  }

  /** The same fact with these stock changes. */
  ProjectFact withStock(long dProjects, long dPlannedYear, long dYtd, long dProgress) {
    return new ProjectFact(
        scope,
        time,
        projectId,
        eventId,
        type,
        investmentCents,
        milestone,
        dProjects,
        dPlannedYear,
        dYtd,
        dProgress,
        retracted);
  }

  /** The fact that takes this one back. */
  ProjectFact retraction() {
    return new ProjectFact(
        scope,
        time,
        projectId,
        eventId,
        type,
        investmentCents,
        milestone,
        projects,
        plannedYearCents,
        ytdCents,
        progressMicros,
        true);
  }

  /** +1 for a fact, -1 for a retraction. */
  int sign() {
    return retracted ? -1 : 1;
  }

  /** Whether the event is an investment, progress or milestone report. */
  public boolean isReport() {
    return type != null && type.isReport();
  }
}
