package cn.xingan.kpi.project;

import cn.xingan.kpi.alerts.ProjectAlert;
import cn.xingan.kpi.events.ProjectRegistration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One project at one instant of its history, as {@link ProjectWalk} leaves it: its attributes, the
 * running figures its stock facts need (year-to-date investment, latest progress), the events that
 * wait for its first registration, and the lagging-project rules' bookkeeping with the latest
 * version of each rule's alert. The tracker keeps it at two instants (the horizon before which no
 * event can arrive, and the watermark up to which the rules ran) and walks forward from there. A
 * Flink POJO (public fields, no-arg constructor); {@link #NONE} marks an instant not set.
 */
public class ProjectState {
  public static final long NONE = Long.MIN_VALUE;

  /** The latest registration applied, or null while the project is not registered. */
  public ProjectRegistration registration;

  public long registeredAt = NONE;

  /** The latest progress in millionths of a percent (-1: none yet) and when it was reported. */
  public long progressMicros = -1;

  public long progressAt = NONE;

  /** Investment so far in {@link #ytdYear}, in fen. */
  public int ytdYear;

  public long ytdCents;

  /** Events before the first registration, in apply order, waiting for it. */
  public List<ProjectInput> waiting = new ArrayList<>();

  public long lastReportAt = NONE;
  public boolean started;
  public boolean completed;

  /** When each rule next needs a look; {@link #NONE} when it does not. */
  public long startOverdueAt = NONE;

  public long noReportAt = NONE;
  public long nextCheckAt = NONE;

  /** The latest version of each rule's alert, by rule code (see {@link AlertBook}). */
  public Map<String, ProjectAlert> alerts = new HashMap<>();

  public boolean isRegistered() {
    return registration != null;
  }

  /** Investment in the given year so far, as the tracker knows it. */
  public long ytd(int year) {
    return ytdYear == year ? ytdCents : 0;
  }

  /** Progress for the stock sums: 0 until the first report. */
  public long progressOrZero() {
    return Math.max(0, progressMicros);
  }

  /** The instants at which the rules next need a look. */
  long[] deadlines() {
    return new long[] {startOverdueAt, noReportAt, nextCheckAt};
  }

  /** An independent copy, to walk a history forward without changing this one. */
  ProjectState copy() {
    ProjectState c = new ProjectState();
    c.registration = registration;
    c.registeredAt = registeredAt;
    c.progressMicros = progressMicros;
    c.progressAt = progressAt;
    c.ytdYear = ytdYear;
    c.ytdCents = ytdCents;
    c.waiting = new ArrayList<>(waiting);
    c.lastReportAt = lastReportAt;
    c.started = started;
    c.completed = completed;
    c.startOverdueAt = startOverdueAt;
    c.noReportAt = noReportAt;
    c.nextCheckAt = nextCheckAt;
    c.alerts = new HashMap<>(alerts);
    return c;
  }
}
