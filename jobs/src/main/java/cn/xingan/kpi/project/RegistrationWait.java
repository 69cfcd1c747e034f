package cn.xingan.kpi.project;

import cn.xingan.kpi.config.Durations;
import cn.xingan.kpi.events.ProjectEvent;
import cn.xingan.kpi.events.Rejection;
import cn.xingan.kpi.periods.Finality;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Events of a project that is not registered at their time wait for its first registration, up to
 * {@code --registration-wait} of event time: a registration at or before {@code event_time + wait}
 * releases them (they count at their own time, with its attributes), otherwise they never count and
 * are rejected as {@code unknown_project}. In a project's history that is all there is to it
 * ({@link #park}, {@link #release}, {@link #expire}); when the rejection is written is the
 * tracker's concern (once no registration that could release the event can still arrive).
 */
final class RegistrationWait implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Duration wait;

  RegistrationWait(Duration wait) {
    this.wait = wait;
  }

  /** The instant after which no registration releases the event. */
  long expiry(ProjectInput in) {
    return Finality.plus(in.event().eventTime(), wait.toMillis());
  }

  void park(ProjectState s, ProjectInput in) {
    s.waiting.add(in);
  }

  /** The earliest expiry of a waiting event, or {@link Long#MAX_VALUE} when none waits. */
  long nextExpiry(ProjectState s) {
    long next = Long.MAX_VALUE;
    for (ProjectInput in : s.waiting) {
      next = Math.min(next, expiry(in));
    }
    return next;
  }

  /** Takes out the events whose wait ends at {@code at} (after the events of that instant). */
  List<ProjectInput> expire(ProjectState s, long at) {
    List<ProjectInput> expired = new ArrayList<>();
    for (Iterator<ProjectInput> it = s.waiting.iterator(); it.hasNext(); ) {
      ProjectInput in = it.next();
      if (expiry(in) <= at) {
        expired.add(in);
        it.remove();
      }
    }
    return expired;
  }

  /** The first registration: every waiting event is released, in the order they apply. */
  List<ProjectInput> release(ProjectState s) {
    List<ProjectInput> released = new ArrayList<>(s.waiting);
    released.sort(ProjectWalk.ORDER);
    s.waiting.clear();
    return released;
  }

  /**
   * The rejection of an event no registration released; {@code endOfInput}: the input ended before
   * its wait did.
   */
  Rejection reject(ProjectInput in, boolean endOfInput, long now) {
    ProjectEvent e = in.event();
    String detail =
        "project '"
            + e.projectId()
            + "' has no registered event at or before "
            + Instant.ofEpochMilli(e.eventTime())
            + (endOfInput
                ? " up to the end of the input"
                : " nor within --registration-wait " + Durations.format(wait) + " after it");
    return in.origin().reject(now, e.eventId(), Rejection.UNKNOWN_PROJECT, detail);
  }
}
