package cn.xingan.kpi.project;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a {@link ProjectTracker} keeps about one project (one value of keyed state, a Flink
 * POJO): its history as a snapshot at the {@link #horizon} (the project after every event before
 * it; no event before it can still arrive) plus the {@link #log} of the events since, in apply
 * order; the state its rules reached at {@link #rulesAt} (the watermark they ran to); the alert
 * versions that went out; and the event-time timer it asked for.
 */
public class ProjectTrack {
  public ProjectState snapshot = new ProjectState();
  public long horizon = Long.MIN_VALUE;
  public List<ProjectInput> log = new ArrayList<>();

  /** The project as of {@link #rulesAt}, rules included; null: not walked past the horizon. */
  public ProjectState rules;

  public long rulesAt = Long.MIN_VALUE;
  public Map<String, SentAlert> sent = new HashMap<>();
  public long timer = ProjectState.NONE;

  /** The state the rules reached (the snapshot's, until they ran past it). */
  ProjectState rulesState() {
    if (rules == null) {
      rules = snapshot.copy();
    }
    return rules;
  }

  /** Whether an event with this id is in the history that can still change. */
  boolean contains(String eventId) {
    for (ProjectInput in : log) {
      if (in.event().eventId().equals(eventId)) {
        return true;
      }
    }
    for (ProjectInput in : snapshot.waiting) {
      if (in.event().eventId().equals(eventId)) {
        return true;
      }
    }
    return false;
  }

  /** Adds an event to the log at its place in apply order. */
  void insert(ProjectInput in) {
    int i = log.size();
    while (i > 0 && ProjectWalk.ORDER.compare(log.get(i - 1), in) > 0) {
      i--;
    }
    log.add(i, in);
  }

  /** The logged events with a time in ({@code after}, {@code upTo}]. */
  List<ProjectInput> between(long after, long upTo) {
    List<ProjectInput> out = new ArrayList<>();
    for (ProjectInput in : log) {
      long t = in.event().eventTime();
      if (t > after && t <= upTo) {
        out.add(in);
      }
    }
    return out;
  }

  /** Nothing left that can count, wait or be corrected: the state can go. */
  boolean isEmpty() {
    return !snapshot.isRegistered() && snapshot.waiting.isEmpty() && log.isEmpty();
  }
}
