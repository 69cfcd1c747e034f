package cn.xingan.kpi.project;

import cn.xingan.kpi.alerts.ProjectAlert;
import cn.xingan.kpi.periods.CalendarPeriods;
import java.io.Serializable;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which alert versions go out, so that a version never goes down for an alert id. In order (the
 * rules walking forward with the watermark) every step goes out with the version the history gives
 * it (1 when it opens, +1 per change). When a late event makes the rules run again, only the latest
 * state of each alert the replay touched goes out, and only if it changed, with a version above the
 * last one sent: a changed state as itself, a state the replay no longer reaches as the state the
 * horizon had, and an alert the history no longer has at all as withdrawn ({@link
 * ProjectAlert#withdrawal}).
 */
final class AlertVersions implements Serializable {
  private static final long serialVersionUID = 1L;

  private final CalendarPeriods calendar;

  AlertVersions(CalendarPeriods calendar) {
    this.calendar = calendar;
  }

  /** A step of the rules walking forward. */
  void forward(
      Map<String, SentAlert> sent, ProjectAlert step, long at, Consumer<ProjectAlert> out) {
    SentAlert last = sent.get(step.alertId());
    long version =
        last == null ? step.version() : Math.max(step.version(), last.alert().version() + 1);
    send(sent, step.asVersion(version, step.updatedAt()), at, out);
  }

  /**
   * After a replay from {@code horizon}: {@code replayed} holds the latest step of each alert the
   * replay made (at or after the horizon), {@code atHorizon} each rule's alert as the horizon left
   * it.
   */
  void correct(
      Map<String, SentAlert> sent,
      Map<String, SentAlert> replayed,
      Map<String, ProjectAlert> atHorizon,
      long horizon,
      String why,
      long now,
      Consumer<ProjectAlert> out) {
    Set<String> ids = new LinkedHashSet<>(replayed.keySet());
    for (Map.Entry<String, SentAlert> e : sent.entrySet()) {
      if (e.getValue().at() >= horizon) {
        ids.add(e.getKey());
      }
    }
    for (String id : ids) {
      SentAlert last = sent.get(id);
      SentAlert target = replayed.get(id);
      if (target == null) {
        ProjectAlert before = horizonState(atHorizon, id);
        target =
            before != null
                ? new SentAlert(before, Long.MIN_VALUE)
                : new SentAlert(last.alert().withdrawal(why, 0, now), last.at());
      }
      if (last != null && last.alert().sameAs(target.alert())) {
        continue;
      }
      long version =
          last == null
              ? target.alert().version()
              : Math.max(target.alert().version(), last.alert().version() + 1);
      send(sent, target.alert().asVersion(version, now), target.at(), out);
    }
  }

  /**
   * Forgets alerts no replay can touch again: last changed before the horizon, not open, and past
   * the local day their id names (so no alert can open again under it).
   */
  void prune(Map<String, SentAlert> sent, long horizon) {
    for (Iterator<SentAlert> it = sent.values().iterator(); it.hasNext(); ) {
      SentAlert s = it.next();
      ProjectAlert a = s.alert();
      long dayEnd = calendar.startOfDayMillis(calendar.localDate(a.openedAt()).plusDays(1));
      if (s.at() < horizon && !a.isOpen() && dayEnd <= horizon) {
        it.remove();
      }
    }
  }

  private static ProjectAlert horizonState(Map<String, ProjectAlert> atHorizon, String id) {
    for (ProjectAlert a : atHorizon.values()) {
      if (a.alertId().equals(id)) {
        return a;
      }
    }
    return null;
  }

  private static void send(
      Map<String, SentAlert> sent, ProjectAlert a, long at, Consumer<ProjectAlert> out) {
    sent.put(a.alertId(), new SentAlert(a, at));
    out.accept(a);
  }

  /** Collects a replay's latest step per alert id. */
  static AlertBook.Steps latestInto(Map<String, SentAlert> replayed) {
    return (a, at) -> replayed.put(a.alertId(), new SentAlert(a, at));
  }
}
