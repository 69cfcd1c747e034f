package cn.xingan.kpi.project;

import cn.xingan.kpi.periods.CalendarDays;
import cn.xingan.kpi.periods.CalendarPeriods;
import cn.xingan.kpi.periods.Finality;
import java.io.Serializable;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The stock of one scope (projects, plan, year to date, progress, and the counts of facts), in
 * keyed state, as of any period's end: the stock changes of the facts are kept per local day, and
 * the stock at a day's end is the base plus the days up to it. A day joins the base once no period
 * ending before it can be emitted again: every such period is final, and no event can be released
 * into it any more ({@code --registration-wait} after its end, as late as the allowed lateness lets
 * a registration come). The base stays with the key: it is the scope's running stock.
 */
final class ScopeStock implements Serializable {
  private static final long serialVersionUID = 1L;

  private final CalendarPeriods calendar;
  private final Finality finality;
  private final long registrationWaitMillis;

  private transient MapState<Long, ProjectStock> days;
  private transient CalendarDays dayPeriods;
  private transient ValueState<ProjectStock> base;

  ScopeStock(CalendarPeriods calendar, Finality finality, Duration registrationWait) {
    this.calendar = calendar;
    this.finality = finality;
    this.registrationWaitMillis = registrationWait.toMillis();
  }

  void open(RuntimeContext context) {
    TypeInformation<ProjectStock> stock = TypeInformation.of(ProjectStock.class);
    days = context.getMapState(new MapStateDescriptor<>("days", Types.LONG, stock));
    base = context.getState(new ValueStateDescriptor<>("base", stock));
    dayPeriods = new CalendarDays(finality);
  }

  /** The stock change of a fact, on the local day of its time. */
  void add(ProjectFact f, long watermark) throws Exception {
    LocalDate day = calendar.localDate(f.time());
    ProjectStock change = ProjectStock.of(f, day.getYear());
    if (foldable(day, watermark)) {
      fold(day, change);
      return;
    }
    ProjectStock d = days.get(day.toEpochDay());
    if (d == null) {
      days.put(day.toEpochDay(), change);
    } else {
      d.add(change, day.getYear());
      days.put(day.toEpochDay(), d);
    }
  }

  /** The stock as of the end of local day {@code last}: the base plus the days up to it. */
  ProjectStock at(LocalDate last) throws Exception {
    ProjectStock b = base.value();
    ProjectStock s = b == null ? new ProjectStock() : b.copy();
    int year = last.getYear();
    if (s.ytdYear != year) {
      s.ytdCents = 0; // the base holds another year's investment
      s.ytdYear = year;
    }
    for (Map.Entry<Long, ProjectStock> d : days.entries()) {
      LocalDate day = LocalDate.ofEpochDay(d.getKey());
      if (!day.isAfter(last)) {
        s.add(d.getValue(), day.getYear());
      }
    }
    return s;
  }

  /** Folds every day that no longer needs to stay apart into the base. */
  void foldDaysBefore(long watermark) throws Exception {
    List<Long> ready = new ArrayList<>();
    for (Long d : days.keys()) {
      if (foldable(LocalDate.ofEpochDay(d), watermark)) {
        ready.add(d);
      }
    }
    ready.sort(null); // in day order, so the base's year only moves forward
    for (Long d : ready) {
      fold(LocalDate.ofEpochDay(d), days.get(d));
      days.remove(d);
    }
    if (days.isEmpty()) {
      days.clear(); // an empty map is still an entry in heap state
    }
  }

  private boolean foldable(LocalDate day, long watermark) {
    long lastBefore = calendar.startOfDayMillis(day) - 1;
    return watermark != Long.MIN_VALUE
        // the periods of an instant are those of its local day: asked for every kept day at every
        // watermark, they come from the per-day cache instead of being worked out each time
        && dayPeriods.of(Finality.plus(lastBefore, registrationWaitMillis)).earliestFinalAt()
            <= watermark;
  }

  private void fold(LocalDate day, ProjectStock change) throws Exception {
    ProjectStock b = base.value();
    if (b == null) {
      b = new ProjectStock();
    }
    b.add(change, day.getYear());
    base.update(b);
  }
}
