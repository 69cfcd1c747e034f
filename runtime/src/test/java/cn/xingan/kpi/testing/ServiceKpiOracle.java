// The expectations of the service-transactions acceptance tests, written from CONTRACT.md §2–3
// alone: its own period arithmetic and its own reading of each kpi_service column, so that a bug
// shared with the job's code cannot hide.
package cn.xingan.kpi.testing;

import cn.xingan.kpi.testing.ServiceTransactions.Event;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The final {@code kpi_service} rows a list of events must produce, every scope. */
final class ServiceKpiOracle {
  static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

  /** The key columns of a row; sorts as the table does. */
  record Key(String period, String scope, String scopeKey, LocalDate start, LocalDate end)
      implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = period.compareTo(o.period);
      c = c != 0 ? c : scope.compareTo(o.scope);
      c = c != 0 ? c : scopeKey.compareTo(o.scopeKey);
      return c != 0 ? c : start.compareTo(o.start);
    }

    @Override
    public String toString() {
      return period + " " + start + ".." + end + " " + scope + "/" + scopeKey;
    }
  }

  /** The value columns of a final row. */
  static final class Expected {
    long accepted;
    long completed;
    long rejected;
    long completedOnTime;
    long completedOnline;
    long completedZeroVisit;
    double processingHoursSum;
    double processingHoursMax;
    long promisedDaysSum;
    long statutoryDaysSum;
    long satisfactionResponses;
    long satisfactionPositive;
    long events;
  }

  /** First month of the quarter of each month (index 0 = January). */
  private static final int[] QUARTER_FIRST_MONTH = {1, 1, 1, 4, 4, 4, 7, 7, 7, 10, 10, 10};

  private ServiceKpiOracle() {}

  static Map<Key, Expected> expected(List<Event> events) {
    Map<Key, Expected> rows = new TreeMap<>();
    for (Event e : events) {
      LocalDate day = localDate(e);
      for (String[] scope : scopes(e)) {
        for (Key key : periods(day, scope[0], scope[1])) {
          add(rows.computeIfAbsent(key, k -> new Expected()), e);
        }
      }
    }
    return rows;
  }

  static LocalDate localDate(Event e) {
    return e.eventTime().atZone(ZONE).toLocalDate();
  }

  /** The five periods of CONTRACT §2 containing a local date, as row keys for one scope. */
  static List<Key> periods(LocalDate day, String scope, String scopeKey) {
    LocalDate monday = day.minusDays(day.getDayOfWeek().getValue() - 1);
    LocalDate monthStart = LocalDate.of(day.getYear(), day.getMonthValue(), 1);
    LocalDate monthEnd = monthStart.plusMonths(1).minusDays(1);
    LocalDate halfStart = day.getDayOfMonth() <= 15 ? monthStart : monthStart.plusDays(15);
    LocalDate halfEnd = day.getDayOfMonth() <= 15 ? monthStart.plusDays(14) : monthEnd;
    LocalDate quarterStart =
        LocalDate.of(day.getYear(), QUARTER_FIRST_MONTH[day.getMonthValue() - 1], 1);
    return List.of(
        new Key("week", scope, scopeKey, monday, monday.plusDays(6)),
        new Key("half_month", scope, scopeKey, halfStart, halfEnd),
        new Key("month", scope, scopeKey, monthStart, monthEnd),
        new Key("quarter", scope, scopeKey, quarterStart, quarterStart.plusMonths(3).minusDays(1)),
        new Key(
            "year",
            scope,
            scopeKey,
            LocalDate.of(day.getYear(), 1, 1),
            LocalDate.of(day.getYear(), 12, 31)));
  }

  private static List<String[]> scopes(Event e) {
    return List.of(
        new String[] {"league", ""},
        new String[] {"county", e.county()},
        new String[] {"department", e.service().department()},
        new String[] {"service", e.service().code()},
        new String[] {"channel", e.channel()});
  }

  private static void add(Expected x, Event e) {
    x.events++;
    switch (e.status()) {
      case "accepted" -> x.accepted++;
      case "rejected" -> x.rejected++;
      case "completed" -> {
        x.completed++;
        Duration took = Duration.between(e.acceptedAt(), e.eventTime());
        if (took.compareTo(Duration.ofHours(24L * e.service().promised())) <= 0) {
          x.completedOnTime++;
        }
        if (e.channel().equals("online")) {
          x.completedOnline++;
        }
        if (e.visits() == 0) {
          x.completedZeroVisit++;
        }
        double hours = took.toMillis() / 3_600_000.0;
        x.processingHoursSum += hours;
        x.processingHoursMax = Math.max(x.processingHoursMax, hours);
        x.promisedDaysSum += e.service().promised();
        x.statutoryDaysSum += e.service().statutoryDays();
        if (e.satisfaction() != null) {
          x.satisfactionResponses++;
          if (e.satisfaction() >= 4) {
            x.satisfactionPositive++;
          }
        }
      }
      default -> throw new IllegalArgumentException("status '" + e.status() + "' of " + e);
    }
  }
}
