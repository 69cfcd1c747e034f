package cn.xingan.kpi.project;

import cn.xingan.kpi.events.Milestone;
import cn.xingan.kpi.events.ProjectEvent;
import cn.xingan.kpi.events.ProjectRegistration;
import cn.xingan.kpi.periods.CalendarPeriods;
import cn.xingan.kpi.periods.Finality;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Random project histories for the arrival-order tests, and random arrival orders of them that the
 * job admits: a few projects over three months of 2026 that register (some twice, moving county),
 * invest (with corrections), report progress and milestones, with events up to a day before their
 * registration, events of a project never registered, ties at one instant and repeated event ids.
 */
final class RandomHistories {
  static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final String[] COUNTIES = {"arxan", "tuquan", "ulanhot"};
  private static final LocalDateTime START = LocalDateTime.of(2026, 1, 5, 0, 0);

  private final Random random;
  private final List<ProjectEvent> events = new ArrayList<>();
  private int seq;

  private RandomHistories(long seed) {
    this.random = new Random(seed);
  }

  /** The events of one history, in time order (repeats of an event id included). */
  static List<ProjectEvent> generate(long seed, int projects) {
    RandomHistories h = new RandomHistories(seed);
    for (int p = 0; p < projects; p++) {
      h.project("R" + p);
    }
    h.unknown("U0");
    h.events.sort(Comparator.comparingLong(ProjectEvent::eventTime));
    return h.events;
  }

  private void project(String id) {
    long registered = instant(random.nextInt(20 * 24));
    if (random.nextInt(3) == 0) {
      // reports up to a day before the registration wait for it
      add(
          ProjectEvent.investment(
              next(), registered - random.nextInt(23) * HOUR, id, 5_000, false));
    }
    add(ProjectEvent.registered(next(), registered, id, reg(id, COUNTIES[random.nextInt(3)])));
    long t = registered;
    int n = 4 + random.nextInt(10);
    for (int i = 0; i < n; i++) {
      t += (1 + random.nextInt(6 * 24)) * HOUR / (random.nextInt(4) == 0 ? 24 : 1);
      int kind = random.nextInt(10);
      ProjectEvent e =
          switch (kind) {
            case 0, 1, 2 ->
                ProjectEvent.investment(next(), t, id, (1 + random.nextInt(5000)) * 100L, false);
            case 3 ->
                ProjectEvent.investment(next(), t, id, -(1 + random.nextInt(30)) * 100L, true);
            case 4, 5 -> ProjectEvent.progress(next(), t, id, random.nextInt(101) * 1_000_000L);
            case 6 -> ProjectEvent.milestone(next(), t, id, Milestone.CONSTRUCTION_STARTED);
            case 7 -> ProjectEvent.milestone(next(), t, id, Milestone.HALF_COMPLETE);
            case 8 -> ProjectEvent.registered(next(), t, id, reg(id, COUNTIES[random.nextInt(3)]));
            default ->
                random.nextInt(3) == 0
                    ? ProjectEvent.milestone(next(), t, id, Milestone.COMPLETED)
                    : ProjectEvent.progress(next(), t, id, random.nextInt(101) * 1_000_000L);
          };
      add(e);
      if (random.nextInt(8) == 0) {
        // another event at the same instant
        add(ProjectEvent.progress(next(), t, id, random.nextInt(101) * 1_000_000L));
      }
      if (random.nextInt(12) == 0) {
        add(e); // a repeat of the same event id
      }
    }
  }

  private void unknown(String id) {
    add(ProjectEvent.investment(next(), instant(24 * 10), id, 100, false));
  }

  private ProjectRegistration reg(String id, String county) {
    LocalDate start = LocalDate.of(2026, 1, 1).plusDays(random.nextInt(40));
    return new ProjectRegistration(
        "项目 " + id,
        county,
        random.nextBoolean() ? "dairy" : "corn",
        random.nextBoolean() ? "key" : "highlight",
        1_000_000_000L,
        (100 + random.nextInt(900)) * 10_000L,
        start.toEpochDay(),
        start.plusDays(200 + random.nextInt(300)).toEpochDay());
  }

  private String next() {
    return String.format("e%04d", seq++);
  }

  private void add(ProjectEvent e) {
    events.add(e);
  }

  private static final long HOUR = 3_600_000L;

  private static long instant(int hoursAfterStart) {
    return START.plusHours(hoursAfterStart).atZone(ZONE).toInstant().toEpochMilli();
  }

  /**
   * A random order of the events in which every event is admitted: when it arrives, the watermark
   * (the largest event time before it, less the out-of-orderness and 1 ms, as the job's watermarks
   * are at most) has not reached the time its earliest period becomes final.
   */
  static List<ProjectEvent> arrival(
      List<ProjectEvent> inTimeOrder, long seed, Duration lateness, Duration outOfOrderness) {
    Random random = new Random(seed);
    Finality finality = new Finality(new CalendarPeriods(ZONE), lateness);
    List<ProjectEvent> order = new ArrayList<>(inTimeOrder);
    for (int moves = 0; moves < order.size(); moves++) {
      int from = random.nextInt(order.size());
      int to = Math.min(order.size() - 1, from + 1 + random.nextInt(order.size() / 3 + 1));
      List<ProjectEvent> candidate = new ArrayList<>(order);
      candidate.add(to, candidate.remove(from));
      if (admitted(candidate, finality, outOfOrderness.toMillis())) {
        order = candidate;
      }
    }
    return order;
  }

  static boolean admitted(List<ProjectEvent> order, Finality finality, long outOfOrdernessMillis) {
    long max = Long.MIN_VALUE;
    for (ProjectEvent e : order) {
      long watermark = max == Long.MIN_VALUE ? Long.MIN_VALUE : max - outOfOrdernessMillis - 1;
      if (finality.isLate(e.eventTime(), watermark)) {
        return false;
      }
      max = Math.max(max, e.eventTime());
    }
    return true;
  }
}
