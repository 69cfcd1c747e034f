package cn.xingan.kpi.project;

/**
 * Stock changes added up: of one local day (a bucket), of everything folded before the open periods
 * (the base), or as of a period's end. {@code events} counts the facts, i.e. the input events the
 * stock reflects. Year-to-date investment belongs to one year: a day's bucket to the day's year,
 * the base to {@link #ytdYear}. A Flink POJO.
 */
public class ProjectStock {
  public long events;
  public long projects;
  public long plannedYearCents;
  public long ytdCents;
  public long progressMicros;
  public int ytdYear;

  static ProjectStock of(ProjectFact f, int year) {
    ProjectStock s = new ProjectStock();
    s.events = 1;
    s.projects = f.projects();
    s.plannedYearCents = f.plannedYearCents();
    s.ytdCents = f.ytdCents();
    s.progressMicros = f.progressMicros();
    s.ytdYear = year;
    return s;
  }

  /** Adds the changes of a day (or of another stock) in {@code year}. */
  void add(ProjectStock d, int year) {
    events += d.events;
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
