package cn.xingan.kpi.project;

import cn.xingan.kpi.events.ProjectRegistration;

/**
 * Everything a {@link ProjectTracker} keeps about one project between events: its attributes, the
 * running figures its stock facts need (year-to-date investment, latest progress), and the
 * lagging-project rules' bookkeeping. A Flink POJO (public fields, no-arg constructor); {@link
 * #NONE} marks an instant not set.
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

  public long lastReportAt = NONE;
  public boolean started;
  public boolean completed;

  /** When each rule next needs a look; {@link #NONE} when it does not. */
  public long startOverdueAt = NONE;

  public long noReportAt = NONE;
  public long nextCheckAt = NONE;

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
}
