package cn.xingan.kpi.project;

import cn.xingan.kpi.events.ProjectEvent;
import cn.xingan.kpi.events.ProjectEventType;
import cn.xingan.kpi.events.ProjectRegistration;
import cn.xingan.kpi.kpi.ScopeKey;
import cn.xingan.kpi.periods.CalendarPeriods;
import java.io.Serializable;
import java.util.List;
import java.util.function.Consumer;

/**
 * How each event of a registered project moves its running figures and which {@link ProjectFact}s
 * it sends to which scopes. The rules, with "the project's attributes" meaning those of its latest
 * registration applied:
 *
 * <ul>
 *   <li>an investment, progress or milestone event counts (flow) in the scopes of the project's
 *       attributes at its time; an event that waited for the first registration counts with it;
 *   <li>a project is in a scope's stock from its registration on: the first registration adds the
 *       project, its planned investment, its investment so far this year and its latest progress
 *       (including what the events that waited for it brought); later investment and progress
 *       change the stock at their own time;
 *   <li>a re-registration that changes the county, chain or list moves all of that stock from the
 *       old scope to the new one at its time (so a period's year-to-date follows the projects that
 *       are in the scope at its end); one that keeps them changes the planned investment only.
 * </ul>
 */
final class ProjectLedger implements Serializable {
  private static final long serialVersionUID = 1L;

  private final CalendarPeriods calendar;

  ProjectLedger(CalendarPeriods calendar) {
    this.calendar = calendar;
  }

  /**
   * An investment, progress or milestone report. With {@code stock} false (an event that waited for
   * the registration) it only counts in its periods and the running figures; {@link #join} adds the
   * figures to the stock.
   */
  void report(ProjectState s, ProjectEvent e, boolean stock, Consumer<ProjectFact> out) {
    long t = e.eventTime();
    long investment = 0;
    long dYtd = 0;
    long dProgress = 0;
    if (e.type() == ProjectEventType.INVESTMENT) {
      investment = e.amountCents();
      int year = calendar.localDate(t).getYear();
      if (year > s.ytdYear) {
        s.ytdYear = year;
        s.ytdCents = 0;
      }
      if (year == s.ytdYear) {
        s.ytdCents = Money.add(s.ytdCents, investment);
      }
      dYtd = investment; // the stock of the event's own year, even for an older year's event
    } else if (e.type() == ProjectEventType.PROGRESS) {
      // Events come in the history's order: a report at the instant of the latest known one (a
      // tie) comes after it by event id and replaces it.
      dProgress = e.progressMicros() - s.progressOrZero();
      s.progressMicros = e.progressMicros();
      s.progressAt = t;
    }
    for (ScopeKey scope : ProjectScopes.of(e.projectId(), s.registration)) {
      ProjectFact f =
          ProjectFact.flow(scope, t, e.projectId(), e.eventId(), e.type())
              .withInvestment(investment)
              .withMilestone(e.milestone());
      out.accept(stock ? f.withStock(0, 0, dYtd, dProgress) : f);
    }
  }

  /** The first registration at {@code t}, after the events that waited for it. */
  void join(ProjectState s, ProjectEvent registration, Consumer<ProjectFact> out) {
    long t = registration.eventTime();
    long ytd = s.ytd(calendar.localDate(t).getYear());
    long planned = s.registration.plannedYearCents();
    for (ScopeKey scope : ProjectScopes.of(registration.projectId(), s.registration)) {
      out.accept(
          ProjectFact.flow(
                  scope,
                  t,
                  registration.projectId(),
                  registration.eventId(),
                  ProjectEventType.REGISTERED)
              .withStock(1, planned, ytd, s.progressOrZero()));
    }
  }

  /** A later registration at {@code t}: new attributes, moving the stock where scopes change. */
  void reregister(ProjectState s, ProjectEvent e, Consumer<ProjectFact> out) {
    long t = e.eventTime();
    ProjectRegistration before = s.registration;
    ProjectRegistration after = e.registration();
    long ytd = s.ytd(calendar.localDate(t).getYear());
    long progress = s.progressOrZero();
    List<ScopeKey> from = ProjectScopes.of(e.projectId(), before);
    List<ScopeKey> to = ProjectScopes.of(e.projectId(), after);
    for (int i = 0; i < to.size(); i++) {
      ProjectFact f =
          ProjectFact.flow(to.get(i), t, e.projectId(), e.eventId(), ProjectEventType.REGISTERED);
      if (from.get(i).equals(to.get(i))) {
        out.accept(f.withStock(0, after.plannedYearCents() - before.plannedYearCents(), 0, 0));
      } else {
        out.accept(
            ProjectFact.flow(
                    from.get(i), t, e.projectId(), e.eventId(), ProjectEventType.REGISTERED)
                .withStock(-1, -before.plannedYearCents(), -ytd, -progress));
        out.accept(f.withStock(1, after.plannedYearCents(), ytd, progress));
      }
    }
    s.registration = after;
  }
}
