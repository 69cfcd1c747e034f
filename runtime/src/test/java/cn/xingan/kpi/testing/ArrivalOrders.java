// The arrival-order ITCase needs a project history with every case that once made streaming differ
// from backfill, and many orders of it that the job admits: this class writes both, with its own
// calendar arithmetic (not the job's) for what "admitted" means.
package cn.xingan.kpi.testing;

import cn.xingan.kpi.testing.projects.ProjectYear;
import cn.xingan.kpi.testing.projects.ProjectYear.Ev;
import cn.xingan.kpi.testing.projects.ProjectYear.Reg;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Ten projects over January to March 2025 (the oracle's year) and one project never registered.
 * What each is for:
 *
 * <ul>
 *   <li>A1 invests behind its plan: behind_plan opens, changes severity, and a late investment
 *       changes what the checks saw;
 *   <li>A2 moves from arxan to tuquan on 02-10, and that re-registration arrives late, after the
 *       project's later events were counted in arxan;
 *   <li>A3 is the measured case: registered in arxan on 01-12, invests on 01-13, and its earlier
 *       registration in tuquan on 01-09 arrives last;
 *   <li>A4 is the other measured case: progress 50 on 02-20, investment 02-21, then progress 30 of
 *       02-10;
 *   <li>A5's correction (a negative investment) arrives late, and one of its events is sent twice;
 *   <li>A6 reports twice at one instant (ids "…-20a" and "…-20b") and invests with a milestone at
 *       another;
 *   <li>A7 is overdue to start, starts (resolving it), goes silent (no_report) until a report
 *       resolves that, completes, and corrects afterwards;
 *   <li>A8 starts exactly at its start_overdue deadline, which is in time, but the milestone
 *       arrives late: streaming opens the alert first and must withdraw it;
 *   <li>A9 invests on Sunday 02-02 at 23:00 before it is registered on Monday 02-03 at 01:00, and
 *       the registration arrives late: the investment counts in a week that may already be final;
 *   <li>A10 goes through its milestones to completion;
 *   <li>U1 is never registered: its events are rejected as unknown_project.
 * </ul>
 */
final class ArrivalOrders {
  static final Duration LATENESS = Duration.ofDays(7);
  static final Duration OUT_OF_ORDERNESS = Duration.ofMinutes(5);

  /** The events that the orders move as late as they may (by event id). */
  static final Set<String> LATE =
      Set.of(
          "pp-A1-05",
          "pp-A2-06",
          "pp-A3-01",
          "pp-A4-05",
          "pp-A5-05",
          "pp-A6-20a",
          "pp-A8-02",
          "pp-A9-02",
          "pp-A7-04");

  /** The never-registered project, and the event id that is sent twice. */
  static final String UNKNOWN = "U1";

  static final String REPEATED = "pp-A5-04";

  private final List<Ev> events = new ArrayList<>();

  private ArrivalOrders() {}

  /** Every event once, in time order (then by id): the backfill's lines, and the oracle's input. */
  static List<Ev> history() {
    ArrivalOrders h = new ArrivalOrders();
    h.build();
    h.events.sort(Comparator.comparing(Ev::local).thenComparing(Ev::eventId));
    return h.events;
  }

  private void build() {
    Reg a1 = reg("A1", "ulanhot", "dairy", "key", 365_000_000L, "2025-01-01", "2025-12-31");
    add("A1", "00", "2025-01-06T10:00", "registered", a1);
    milestone("A1", "01", "2025-01-08T09:00", "construction_started");
    invest("A1", "02", "2025-01-10T10:00", 10_000_000L);
    invest("A1", "03", "2025-01-20T10:00", 5_000_000L);
    progress("A1", "04", "2025-01-31T17:00", "5");
    invest("A1", "05", "2025-02-05T10:00", 20_000_000L);
    invest("A1", "06", "2025-02-25T10:00", 1_000_000L);
    progress("A1", "07", "2025-02-28T17:00", "12.5");

    Reg a2 = reg("A2", "arxan", "corn", "highlight", 100_000_000L, "2025-01-05", "2025-12-31");
    add("A2", "00", "2025-01-07T09:00", "registered", a2);
    milestone("A2", "01", "2025-01-09T10:00", "construction_started");
    invest("A2", "02", "2025-01-15T10:00", 3_000_000L);
    progress("A2", "03", "2025-01-31T17:00", "10");
    invest("A2", "04", "2025-02-01T10:00", 4_000_000L);
    invest("A2", "05", "2025-02-12T10:00", 2_000_000L);
    add(
        "A2",
        "06",
        "2025-02-10T10:00",
        "registered",
        reg("A2", "tuquan", "corn", "highlight", 120_000_000L, "2025-01-05", "2025-12-31"));
    invest("A2", "07", "2025-02-20T10:00", 2_500_000L);
    progress("A2", "08", "2025-02-27T17:00", "30");

    add(
        "A3",
        "00",
        "2025-01-12T10:00",
        "registered",
        reg("A3", "arxan", "dairy", "key", 100_000L, "2025-01-15", "2025-12-31"));
    invest("A3", "02", "2025-01-13T10:00", 50_000L);
    add(
        "A3",
        "01",
        "2025-01-09T10:00",
        "registered",
        reg("A3", "tuquan", "dairy", "key", 200_000L, "2025-01-15", "2025-12-31"));
    milestone("A3", "03", "2025-01-16T09:00", "construction_started");
    progress("A3", "04", "2025-01-30T17:00", "20");

    Reg a4 = reg("A4", "ulanhot", "rice", "difficult", 50_000_000L, "2025-01-03", "2025-12-31");
    add("A4", "00", "2025-01-05T09:00", "registered", a4);
    milestone("A4", "01", "2025-01-06T09:00", "construction_started");
    invest("A4", "02", "2025-01-20T10:00", 1_000_000L);
    progress("A4", "03", "2025-02-20T10:00", "50");
    invest("A4", "04", "2025-02-21T10:00", 1_000_000L);
    progress("A4", "05", "2025-02-10T10:00", "30");

    Reg a5 = reg("A5", "tuquan", "dairy", "key", 200_000_000L, "2025-01-06", "2025-12-31");
    add("A5", "00", "2025-01-08T09:00", "registered", a5);
    milestone("A5", "01", "2025-01-10T09:00", "construction_started");
    invest("A5", "02", "2025-01-15T10:00", 30_000_000L);
    invest("A5", "04", "2025-01-25T10:00", 20_000_000L);
    events.add(
        new Ev(
            "pp-A5-05",
            local("2025-02-03T12:00"),
            "A5",
            "investment",
            null,
            -5_000_000L,
            true,
            null,
            null));
    progress("A5", "06", "2025-02-05T17:00", "15");
    invest("A5", "07", "2025-02-14T10:00", 10_000_000L);

    Reg a6 = reg("A6", "jalaid", "corn", "key", 80_000_000L, "2025-01-07", "2025-12-31");
    add("A6", "00", "2025-01-09T09:00", "registered", a6);
    milestone("A6", "01", "2025-01-11T09:00", "construction_started");
    progress("A6", "20b", "2025-01-20T10:00", "60");
    progress("A6", "20a", "2025-01-20T10:00", "40");
    invest("A6", "25", "2025-01-25T10:00", 2_000_000L);
    milestone("A6", "26", "2025-01-25T10:00", "half_complete");
    invest("A6", "27", "2025-02-08T10:00", 1_000_000L);

    Reg a7 = reg("A7", "horqin-right-front", "rice", "highlight", 0, "2025-01-08", "2025-12-31");
    add("A7", "00", "2025-01-06T11:00", "registered", a7);
    milestone("A7", "01", "2025-01-22T10:00", "construction_started");
    invest("A7", "02", "2025-01-23T10:00", 500_000L);
    progress("A7", "03", "2025-02-20T10:00", "40");
    milestone("A7", "04", "2025-02-27T10:00", "completed");
    events.add(
        new Ev(
            "pp-A7-05",
            local("2025-03-03T10:00"),
            "A7",
            "investment",
            null,
            -10_000L,
            true,
            null,
            null));

    Reg a8 = reg("A8", "dev-zone", "dairy", "difficult", 0, "2025-01-13", "2025-12-31");
    add("A8", "00", "2025-01-06T12:00", "registered", a8);
    invest("A8", "01", "2025-01-21T10:00", 100_000L);
    milestone("A8", "02", "2025-01-20T00:00", "construction_started");
    invest("A8", "03", "2025-02-02T10:00", 100_000L);
    progress("A8", "04", "2025-02-12T10:00", "25");

    invest("A9", "01", "2025-02-02T23:00", 4_000_000L);
    add(
        "A9",
        "02",
        "2025-02-03T01:00",
        "registered",
        reg("A9", "reclamation", "dairy", "key", 60_000_000L, "2025-02-01", "2025-12-31"));
    invest("A9", "03", "2025-02-10T10:00", 1_000_000L);
    progress("A9", "04", "2025-02-17T17:00", "8");

    Reg a10 = reg("A10", "ulanhot", "rice", "key", 30_000_000L, "2025-01-08", "2025-12-31");
    add("A10", "00", "2025-01-10T09:00", "registered", a10);
    milestone("A10", "01", "2025-01-12T09:00", "construction_started");
    invest("A10", "02", "2025-01-20T10:00", 2_000_000L);
    milestone("A10", "03", "2025-01-28T10:00", "half_complete");
    invest("A10", "04", "2025-02-05T10:00", 1_000_000L);
    milestone("A10", "05", "2025-02-15T10:00", "completed");
    events.add(
        new Ev(
            "pp-A10-06",
            local("2025-02-25T10:00"),
            "A10",
            "investment",
            null,
            -100_000L,
            true,
            null,
            null));

    invest(UNKNOWN, "01", "2025-01-20T10:00", 10_000L);
    progress(UNKNOWN, "02", "2025-02-05T10:00", "10");
  }

  /**
   * The records in an order the job admits, for seed {@code seed}: the events of {@link #LATE} each
   * moved later, half of the time as late as it may go; {@link #REPEATED} sent a second time soon
   * after; then random moves that keep every record admitted.
   */
  static List<Ev> order(List<Ev> history, long seed) {
    Random random = new Random(seed);
    List<Ev> order = new ArrayList<>(history);
    int repeated = indexOf(order, REPEATED);
    order.add(Math.min(order.size(), repeated + 1 + random.nextInt(3)), order.get(repeated));
    for (Ev e : history) {
      if (!LATE.contains(e.eventId())) {
        continue;
      }
      int from = indexOf(order, e.eventId());
      List<Integer> admittedAt = new ArrayList<>();
      for (int to = from + 1; to < order.size(); to++) {
        if (admitted(moved(order, from, to))) {
          admittedAt.add(to);
        }
      }
      if (!admittedAt.isEmpty()) {
        int to =
            random.nextBoolean()
                ? admittedAt.get(admittedAt.size() - 1)
                : admittedAt.get(random.nextInt(admittedAt.size()));
        order = moved(order, from, to);
      }
    }
    for (int n = 0; n < order.size(); n++) {
      int from = random.nextInt(order.size());
      int to = Math.min(order.size() - 1, from + 1 + random.nextInt(order.size() / 4 + 1));
      List<Ev> candidate = moved(order, from, to);
      if (admitted(candidate)) {
        order = candidate;
      }
    }
    return order;
  }

  /**
   * Whether the job admits every record in this order: when a record arrives, the watermark (at
   * most the largest event time before it, less the out-of-orderness and a millisecond) must be
   * before the end of its week or half month (whichever ends first) plus the allowed lateness.
   */
  static boolean admitted(List<Ev> order) {
    long max = Long.MIN_VALUE;
    for (Ev e : order) {
      long watermark = max - OUT_OF_ORDERNESS.toMillis() - 1;
      if (max != Long.MIN_VALUE && watermark >= lateFrom(e)) {
        return false;
      }
      max = Math.max(max, e.time());
    }
    return true;
  }

  /** How many records arrive behind the watermark (but admitted). */
  static int behindTheWatermark(List<Ev> order) {
    long max = Long.MIN_VALUE;
    int behind = 0;
    for (Ev e : order) {
      if (max != Long.MIN_VALUE && e.time() <= max - OUT_OF_ORDERNESS.toMillis() - 1) {
        behind++;
      }
      max = Math.max(max, e.time());
    }
    return behind;
  }

  /** The event time from which a watermark makes the event late. */
  static long lateFrom(Ev e) {
    LocalDate d = e.local().toLocalDate();
    LocalDate nextMonday = d.plusDays(1);
    while (nextMonday.getDayOfWeek() != DayOfWeek.MONDAY) {
      nextMonday = nextMonday.plusDays(1);
    }
    LocalDate nextHalf =
        d.getDayOfMonth() <= 15 ? d.withDayOfMonth(16) : d.withDayOfMonth(1).plusMonths(1);
    LocalDate end = nextMonday.isBefore(nextHalf) ? nextMonday : nextHalf;
    return end.atStartOfDay(ProjectYear.ZONE).toInstant().toEpochMilli() + LATENESS.toMillis();
  }

  private static List<Ev> moved(List<Ev> order, int from, int to) {
    List<Ev> m = new ArrayList<>(order);
    m.add(to, m.remove(from));
    return m;
  }

  private static int indexOf(List<Ev> order, String eventId) {
    for (int i = 0; i < order.size(); i++) {
      if (order.get(i).eventId().equals(eventId)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no event " + eventId);
  }

  private static Reg reg(
      String id,
      String county,
      String chain,
      String list,
      long plannedYearCents,
      String start,
      String completion) {
    return new Reg(
        "项目 " + id + " project",
        county,
        chain,
        list,
        plannedYearCents * 2,
        plannedYearCents,
        LocalDate.parse(start),
        LocalDate.parse(completion));
  }

  private void add(String project, String n, String local, String type, Reg reg) {
    events.add(
        new Ev("pp-" + project + "-" + n, local(local), project, type, reg, 0, false, null, null));
  }

  private void invest(String project, String n, String local, long cents) {
    events.add(
        new Ev(
            "pp-" + project + "-" + n,
            local(local),
            project,
            "investment",
            null,
            cents,
            false,
            null,
            null));
  }

  private void progress(String project, String n, String local, String pct) {
    events.add(
        new Ev(
            "pp-" + project + "-" + n,
            local(local),
            project,
            "progress",
            null,
            0,
            false,
            new BigDecimal(pct),
            null));
  }

  private void milestone(String project, String n, String local, String m) {
    events.add(
        new Ev(
            "pp-" + project + "-" + n,
            local(local),
            project,
            "milestone",
            null,
            0,
            false,
            null,
            m));
  }

  private static LocalDateTime local(String text) {
    return LocalDateTime.parse(text);
  }
}
