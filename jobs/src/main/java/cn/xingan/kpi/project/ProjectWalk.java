package cn.xingan.kpi.project;

import static cn.xingan.kpi.project.ProjectState.NONE;

import cn.xingan.kpi.alerts.ProjectAlert;
import cn.xingan.kpi.config.ProjectOptions;
import cn.xingan.kpi.events.ProjectEvent;
import cn.xingan.kpi.events.ProjectEventType;
import cn.xingan.kpi.periods.CalendarPeriods;
import java.io.Serializable;
import java.util.Comparator;
import java.util.List;

/**
 * A project's history, walked in event-time order: the one definition of what a set of events
 * means, used by a backfill, by streaming, and by every replay of a late event, so that they cannot
 * disagree. At each instant: the events of that instant (registrations first, then investment,
 * progress, milestones; ties by event id), then the registration waits that end then, then the
 * rules due then. The walk is a pure function of the state it starts from and the events it is
 * given: {@link ProjectLedger} turns events into facts, {@link LaggingRules} into alert steps.
 */
final class ProjectWalk implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The order events of a project apply in, as a backfill applies them. */
  static final Comparator<ProjectInput> ORDER =
      Comparator.<ProjectInput>comparingLong(in -> in.event().eventTime())
          .thenComparing(in -> in.event().type())
          .thenComparing(in -> in.event().eventId());

  /** Where a walk's results go; each kind is ignored unless overridden. */
  interface Out {
    default void fact(ProjectFact f) {}

    default void alert(ProjectAlert a, long at) {}

    /** An event whose registration wait ended without a registration. */
    default void expired(ProjectInput in) {}
  }

  static final Out NOWHERE = new Out() {};

  private final CalendarPeriods calendar;
  private final ProjectLedger ledger;
  private final LaggingRules rules;
  private final RegistrationWait wait;

  ProjectWalk(CalendarPeriods calendar, ProjectOptions options) {
    this.calendar = calendar;
    this.ledger = new ProjectLedger(calendar);
    this.rules = new LaggingRules(calendar, options);
    this.wait = new RegistrationWait(options.registrationWait());
  }

  RegistrationWait registrationWait() {
    return wait;
  }

  /**
   * Walks {@code s} through every instant up to {@code eventsUpTo}: the given events (in {@link
   * #ORDER}, none before the instant {@code s} is at), the waits that end, and the rules due, these
   * only up to {@code rulesUpTo}.
   *
   * @param now processing time, the {@code updated_at} of alert steps
   */
  void run(
      ProjectState s,
      String projectId,
      List<ProjectInput> events,
      long eventsUpTo,
      long rulesUpTo,
      long now,
      Out out) {
    AlertBook book = new AlertBook(s, calendar, projectId, now, out::alert);
    int i = 0;
    while (true) {
      long x = Long.MAX_VALUE;
      boolean any = false;
      if (i < events.size() && time(events.get(i)) <= eventsUpTo) {
        x = time(events.get(i));
        any = true;
      }
      long expiry = wait.nextExpiry(s);
      if (!s.waiting.isEmpty() && expiry <= eventsUpTo && (!any || expiry < x)) {
        x = expiry;
        any = true;
      }
      for (long d : s.deadlines()) {
        if (d != NONE && d <= rulesUpTo && d <= eventsUpTo && (!any || d < x)) {
          x = d;
          any = true;
        }
      }
      if (!any) {
        return;
      }
      while (i < events.size() && time(events.get(i)) == x) {
        apply(s, events.get(i++), book, out);
      }
      for (ProjectInput expired : wait.expire(s, x)) {
        out.expired(expired);
      }
      if (x <= rulesUpTo) {
        rules.due(s, x, book);
      }
    }
  }

  private void apply(ProjectState s, ProjectInput in, AlertBook book, Out out) {
    ProjectEvent e = in.event();
    long t = e.eventTime();
    if (!s.isRegistered()) {
      if (e.type() == ProjectEventType.REGISTERED) {
        register(s, e, out);
      } else {
        wait.park(s, in);
      }
    } else if (e.type() == ProjectEventType.REGISTERED) {
      ledger.reregister(s, e, out::fact);
      rules.reregistered(s, t, book);
    } else {
      ledger.report(s, e, true, out::fact);
      rules.reported(s, e, t, book);
    }
  }

  /** The first registration: releases the events that waited for it, then joins the scopes. */
  private void register(ProjectState s, ProjectEvent registration, Out out) {
    s.registration = registration.registration();
    s.registeredAt = registration.eventTime();
    for (ProjectInput in : wait.release(s)) {
      ledger.report(s, in.event(), false, out::fact);
      rules.waited(s, in.event());
    }
    ledger.join(s, registration, out::fact);
    rules.registered(s, registration.eventTime());
  }

  static long time(ProjectInput in) {
    return in.event().eventTime();
  }
}
