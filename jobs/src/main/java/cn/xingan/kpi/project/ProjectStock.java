package cn.xingan.kpi.project;

/**
 * Stock changes added up: of one local day (a bucket), of everything folded before the open periods
 * (the base), or as of a period's end. Year-to-date investment belongs to one year: a day's bucket
 * to the day's year, the base to {@link #ytdYear}. Two counts of facts: {@code events}, the net
 * number the stock reflects (a retraction takes one back), which is the row's {@code events}; and
 * {@code changes}, every fact and retraction received, which only grows and makes the row's
 * version. A Flink POJO.
 */
public class ProjectStock {
  public long events;
  public long changes;
  public long projects;
  public long plannedYearCents;
  public long ytdCents;
  public long progressMicros;
  public int ytdYear;

  static ProjectStock of(ProjectFact f, int year) {
    int sign = f.sign();
    ProjectStock s = new ProjectStock();
    s.events = sign;
    s.changes = 1;
    s.projects = sign * f.projects();
    s.plannedYearCents = sign * f.plannedYearCents();
    s.ytdCents = sign * f.ytdCents();
    s.progressMicros = sign * f.progressMicros();
    s.ytdYear = year;
    return s;
  }

  /** Adds the changes of a day (or of another stock) in {@code year}. */
  void add(ProjectStock d, int year) {
    events += d.events;
    changes += d.changes;
    projects += d.projects;
    plannedYearCents = Money.add(plannedYearCents, d.plannedYearCents);
    progressMicros += d.progressMicros;
    if (year > ytdYear) {
      ytdYear = year;
      ytdCents = d.ytdCents;
    } else if (year == ytdYear) {
      ytdCents = Money.add(ytdCents, d.ytdCents);
    }
    // an earlier year's investment no longer counts in anyone's year to date
  }

  ProjectStock copy() {
    ProjectStock c = new ProjectStock();
    c.add(this, ytdYear);
    c.ytdYear = ytdYear;
    return c;
  }
}
