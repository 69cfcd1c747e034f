package cn.xingan.kpi.project;

import static cn.xingan.kpi.project.ProjectState.NONE;

import cn.xingan.kpi.alerts.AlertRule;
import cn.xingan.kpi.alerts.BehindPlanCheck;
import cn.xingan.kpi.alerts.ProjectAlert;
import cn.xingan.kpi.config.ProjectOptions;
import cn.xingan.kpi.events.Milestone;
import cn.xingan.kpi.events.ProjectEvent;
import cn.xingan.kpi.events.ProjectRegistration;
import cn.xingan.kpi.periods.CalendarPeriods;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * The lagging-project rules of CONTRACT.md §3 for one project, on event time. The tracker calls
 * them after the events of an instant ({@link #registered}, {@link #reported}) and at the instants
 * they asked for ({@link #due}); they keep their deadlines in {@link ProjectState}:
 *
 * <ul>
 *   <li>{@code start_overdue} opens at 00:00 of planned_start + N days (or at a registration that
 *       comes later) without a {@code construction_started} milestone, and resolves at that
 *       milestone, or when a re-registration moves the planned start so that it is not overdue;
 *   <li>{@code no_report} opens at the last report (or registration) + the no-report time, and
 *       resolves at the next report;
 *   <li>{@code behind_plan} is checked at 00:00 on every 1st and 16th ({@link BehindPlanCheck}).
 * </ul>
 *
 * A {@code completed} milestone resolves every open alert at its time and ends all checks. Events
 * of an instant come before the rules of that instant: a report at exactly the no-report deadline,
 * or investment at exactly 00:00 of a check day, counts. The tracker calls them in the order of the
 * project's history ({@link ProjectWalk}), never out of it: an event that arrives late is merged
 * into the history and the rules run again from before it.
 */
final class LaggingRules implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final long DAY_MILLIS = 86_400_000L;

  private final CalendarPeriods calendar;
  private final ProjectOptions options;

  LaggingRules(CalendarPeriods calendar, ProjectOptions options) {
    this.calendar = calendar;
    this.options = options;
  }

  /** Bookkeeping of an event that waited for the registration (no alert can be open yet). */
  void waited(ProjectState s, ProjectEvent e) {
    s.lastReportAt = Math.max(s.lastReportAt, e.eventTime());
    if (e.milestone() == Milestone.CONSTRUCTION_STARTED) {
      s.started = true;
    } else if (e.milestone() == Milestone.COMPLETED) {
      s.completed = true;
    }
  }

  /** After the first registration at {@code t}: what to watch from now on. */
  void registered(ProjectState s, long t) {
    if (s.completed) {
      return;
    }
    if (!s.started) {
      s.startOverdueAt = Math.max(startDeadline(s.registration), t);
    }
    long base = s.lastReportAt != NONE ? s.lastReportAt : s.registeredAt;
    s.noReportAt = Math.max(base + options.noReportAfter().toMillis(), t);
    s.nextCheckAt = nextCheckAtOrAfter(t);
  }

  /** After a later registration at {@code t}: only the planned start matters before the check. */
  void reregistered(ProjectState s, long t, AlertBook book) {
    if (s.completed || s.started) {
      return;
    }
    long deadline = startDeadline(s.registration);
    if (!book.isOpen(AlertRule.START_OVERDUE)) {
      s.startOverdueAt = Math.max(deadline, t);
    } else if (deadline > t) {
      book.resolve(
          AlertRule.START_OVERDUE,
          s.registration,
          t,
          who(s)
              + ": planned start moved to "
              + s.registration.plannedStart()
              + ", not overdue before "
              + local(deadline));
      s.startOverdueAt = deadline;
    }
  }

  /** After an investment, progress or milestone report at {@code t}. */
  void reported(ProjectState s, ProjectEvent e, long t, AlertBook book) {
    if (s.completed) {
      return; // checked by no rule any more
    }
    long previous = s.lastReportAt != NONE ? s.lastReportAt : s.registeredAt;
    s.lastReportAt = Math.max(s.lastReportAt, e.eventTime());
    if (e.milestone() == Milestone.COMPLETED) {
      s.completed = true;
      book.resolveAll(s.registration, t, who(s) + ": project completed " + local(t));
      book.clear();
      s.startOverdueAt = NONE;
      s.noReportAt = NONE;
      s.nextCheckAt = NONE;
      return;
    }
    if (e.milestone() == Milestone.CONSTRUCTION_STARTED) {
      s.started = true;
      s.startOverdueAt = NONE;
      if (book.isOpen(AlertRule.START_OVERDUE)) {
        LocalDate planned = s.registration.plannedStart();
        book.resolve(
            AlertRule.START_OVERDUE,
            s.registration,
            t,
            who(s)
                + ": construction started "
                + local(t)
                + ", "
                + (calendar.localDate(t).toEpochDay() - planned.toEpochDay())
                + " days after the planned start "
                + planned);
      }
    }
    if (book.isOpen(AlertRule.NO_REPORT)) {
      book.resolve(
          AlertRule.NO_REPORT,
          s.registration,
          t,
          who(s)
              + ": "
              + e.type().code()
              + " reported "
              + local(t)
              + " after "
              + (t - previous) / DAY_MILLIS
              + " days without a report (previous "
              + local(previous)
              + ")");
    }
    s.noReportAt = Math.max(s.lastReportAt + options.noReportAfter().toMillis(), t);
  }

  /** The rules whose instant has come at {@code t}. */
  void due(ProjectState s, long t, AlertBook book) {
    if (!s.isRegistered() || s.completed) {
      return;
    }
    if (s.startOverdueAt != NONE && s.startOverdueAt <= t) {
      s.startOverdueAt = NONE;
      if (!s.started && !book.isOpen(AlertRule.START_OVERDUE)) {
        book.open(AlertRule.START_OVERDUE, s.registration, t, ProjectAlert.WARNING, overdue(s, t));
      }
    }
    if (s.noReportAt != NONE && s.noReportAt <= t) {
      s.noReportAt = NONE;
      if (!book.isOpen(AlertRule.NO_REPORT)) {
        book.open(AlertRule.NO_REPORT, s.registration, t, ProjectAlert.WARNING, silent(s, t));
      }
    }
    if (s.nextCheckAt != NONE && s.nextCheckAt <= t) {
      check(s, s.nextCheckAt, book);
      s.nextCheckAt = nextCheckAtOrAfter(s.nextCheckAt + 1);
    }
  }

  private void check(ProjectState s, long at, AlertBook book) {
    LocalDate day = calendar.localDate(at);
    BehindPlanCheck c = BehindPlanCheck.of(s.registration, day, s.ytd(day.getYear()));
    boolean behind = c.below(options.behindPlanPct());
    String severity =
        c.below(options.behindPlanCriticalPct()) ? ProjectAlert.CRITICAL : ProjectAlert.WARNING;
    AlertRule rule = AlertRule.BEHIND_PLAN;
    if (!book.isOpen(rule)) {
      if (behind && c.expectsInvestment()) {
        book.open(rule, s.registration, at, severity, behindDetail(s, c));
      }
    } else if (!behind) {
      book.resolve(rule, s.registration, at, behindDetail(s, c));
    } else if (!severity.equals(book.severity(rule))) {
      book.changeSeverity(rule, s.registration, at, severity, behindDetail(s, c));
    }
  }

  /** 00:00 local of planned_start + N days. */
  long startDeadline(ProjectRegistration r) {
    return calendar.startOfDayMillis(r.plannedStart().plusDays(options.startOverdueDays()));
  }

  /** The first check instant (00:00 on a 1st or 16th) at or after {@code t}. */
  long nextCheckAtOrAfter(long t) {
    LocalDate d = calendar.localDate(t);
    if ((d.getDayOfMonth() == 1 || d.getDayOfMonth() == 16) && calendar.startOfDayMillis(d) == t) {
      return t;
    }
    LocalDate next =
        d.getDayOfMonth() < 16 ? d.withDayOfMonth(16) : d.withDayOfMonth(1).plusMonths(1);
    return calendar.startOfDayMillis(next);
  }

  private String overdue(ProjectState s, long t) {
    ProjectRegistration r = s.registration;
    return who(s)
        + ": planned start "
        + r.plannedStart()
        + ", no construction_started milestone by "
        + local(t)
        + " ("
        + (calendar.localDate(t).toEpochDay() - r.plannedStart().toEpochDay())
        + " days after it)";
  }

  private String silent(ProjectState s, long t) {
    boolean reported = s.lastReportAt != NONE;
    long since = reported ? s.lastReportAt : s.registeredAt;
    return who(s)
        + ": no investment, progress or milestone report for "
        + (t - since) / DAY_MILLIS
        + " days, since "
        + (reported ? "the last report " : "registration ")
        + local(since);
  }

  private String behindDetail(ProjectState s, BehindPlanCheck c) {
    return who(s)
        + ": check "
        + c.day()
        + ": investment this year "
        + Money.format(c.ytdCents())
        + " yuan is "
        + c.percentOfExpected().toPlainString()
        + "% of the expected "
        + Money.format(c.expectedYuan().movePointRight(2).longValueExact())
        + " (plan this year "
        + Money.format(c.plannedYearCents())
        + " x "
        + c.sharePercent().toPlainString()
        + "% of the span "
        + c.spanStart()
        + ".."
        + c.spanEnd()
        + " elapsed; planned start "
        + s.registration.plannedStart()
        + "); warning below "
        + options.behindPlanPct()
        + "%, critical below "
        + options.behindPlanCriticalPct()
        + "%";
  }

  private static String who(ProjectState s) {
    ProjectRegistration r = s.registration;
    return r.projectName() + " (" + r.county() + ", " + r.chain() + ")";
  }

  private String local(long t) {
    return LOCAL.format(Instant.ofEpochMilli(t).atZone(calendar.zone()));
  }

  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
}
