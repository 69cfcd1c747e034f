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

  /**
   * What a walk of {@link #snapshot} and {@link #log} gave, while neither has changed since; null:
   * walk again. Not part of the state's form (transient): after a restore, or when the heap backend
   * copied the value for a snapshot, it is walked again when needed.
   */
  transient Walked walked;

  /**
   * The facts a walk of the whole history sends, the events no registration releases, and the state
   * the walk ended in (the tracker's own copy, which the next in-order event walks on).
   */
  record Walked(List<ProjectFact> facts, List<ProjectInput> unreleased, ProjectState end) {}

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
    walked = null;
  }

  /**
   * The first {@code n} events of the log are in the snapshot now, which is at {@code newHorizon}.
   */
  void settle(int n, long newHorizon) {
    log.subList(0, n).clear();
    horizon = newHorizon;
    walked = null;
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
