package cn.xingan.kpi.local;

import cn.xingan.kpi.local.generate.County;
import cn.xingan.kpi.periods.Period;
import cn.xingan.kpi.periods.PeriodKind;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The live view the quickstart prints: this week, half month and month for the whole League, and
 * this month per area, from `kpi_service` rows read over HTTP with {@link #QUERY}. Rendering is a
 * pure function of the rows and the wall time, so it is tested without ClickHouse; areas are shown
 * by code because Chinese names are double width in a terminal and would break the columns.
 */
public final class LiveKpiTable {

  /**
   * The rows the table needs, for ClickHouse 18.16 (no window functions): the league and county
   * scopes of the open week, half-month and month periods. Send it with the HTTP {@code database}
   * parameter, or use {@link #query(String)}. {@code today()} is in the server's zone, so the
   * filter keeps one day of slack and the table picks the current periods in its own zone.
   */
  public static final String QUERY = query(null);

  private static final String CLEAR_SCREEN = "\u001b[H\u001b[2J";
  private static final List<PeriodKind> KINDS =
      List.of(PeriodKind.WEEK, PeriodKind.HALF_MONTH, PeriodKind.MONTH);

  /** The headline lines: the league's current week, half month and month. */
  public static final int HEADLINES = KINDS.size();

  private static final String ROW = "%-22s%10s%10s%8s%8s%8s%7s%8s%6s%n";

  private final ZoneId zone;
  private final boolean ansi;

  /**
   * @param zone the zone periods and the wall time are shown in
   * @param ansi whether to clear the screen before each table (only on a terminal)
   */
  public LiveKpiTable(ZoneId zone, boolean ansi) {
    if (zone == null) {
      throw new IllegalArgumentException("zone must not be null");
    }
    this.zone = zone;
    this.ansi = ansi;
  }

  /** A table that clears the screen only when stdout is a terminal. */
  public static LiveKpiTable forStdout(ZoneId zone) {
    return new LiveKpiTable(zone, System.console() != null);
  }

  /** {@link #QUERY} with the table qualified by {@code database} (none when null). */
  public static String query(String database) {
    if (database != null && !database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          "database '" + database + "' must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*)");
    }
    String table = database == null ? "kpi_service" : database + ".kpi_service";
    return "SELECT period, period_start, period_end, scope, scope_key, accepted, completed,"
        + " rejected, completed_on_time, completed_online, completed_zero_visit,"
        + " processing_hours_sum, satisfaction_responses, satisfaction_positive, is_final, version"
        + " FROM "
        + table
        + " FINAL"
        + " WHERE scope IN ('league', 'county') AND period IN ('week', 'half_month', 'month')"
        + " AND period_end >= today() - 1";
  }

  /**
   * The text to print for {@code rows} (parsed JSONEachRow objects; UInt64 values may be numbers or
   * numeric strings) at wall time {@code now}.
   *
   * @param totalEvents the events produced so far, shown in the header
   */
  public String render(List<Map<String, Object>> rows, Instant now, long totalEvents) {
    Map<String, KpiRow> latest = new HashMap<>();
    for (Map<String, Object> map : rows) {
      KpiRow row = KpiRow.of(map);
      latest.merge(row.id(), row, (a, b) -> a.version() >= b.version() ? a : b);
    }
    LocalDate today = now.atZone(zone).toLocalDate();
    ZonedDateTime wall = now.atZone(zone);
    StringBuilder out = new StringBuilder(ansi ? CLEAR_SCREEN : "");
    out.append(
        String.format(
            Locale.ROOT,
            "Xing'an League service windows | %1$tF %1$tT %2$s | events produced: %3$,d%n",
            wall,
            zone.getId(),
            totalEvents));
    out.append(
        String.format(
            Locale.ROOT,
            ROW,
            "",
            "accepted",
            "completed",
            "on-time",
            "online",
            "0-visit",
            "avg h",
            "satisf",
            "final"));
    for (PeriodKind kind : KINDS) {
      Period period = kind.of(today);
      String label = kind.code() + " from " + period.start().toString().substring(5);
      line(out, label, latest.get(headlineId(kind, today)));
    }
    Period month = PeriodKind.MONTH.of(today);
    List<KpiRow> counties = new ArrayList<>();
    for (KpiRow row : latest.values()) {
      if (row.scope().equals("county")
          && row.period().equals(month.kind().code())
          && row.periodStart().equals(month.start())) {
        counties.add(row);
      }
    }
    counties.sort(Comparator.comparingInt(LiveKpiTable::areaOrder).thenComparing(KpiRow::scopeKey));
    for (KpiRow row : counties) {
      line(out, "  " + row.scopeKey(), row);
    }
    return out.toString();
  }

  /**
   * How many of the table's headline lines (the league's current week, half month and month) have a
   * row in {@code rows}, the rest showing "no events yet": quickstart prints the table again as
   * soon as this grows, instead of waiting for its next refresh.
   */
  public int headlines(List<Map<String, Object>> rows, Instant now) {
    LocalDate today = now.atZone(zone).toLocalDate();
    Set<String> wanted = new HashSet<>();
    for (PeriodKind kind : KINDS) {
      wanted.add(headlineId(kind, today));
    }
    Set<String> found = new HashSet<>();
    for (Map<String, Object> map : rows) {
      String id = KpiRow.of(map).id();
      if (wanted.contains(id)) {
        found.add(id);
      }
    }
    return found.size();
  }

  /** The row id of the league's period of {@code kind} that contains {@code today}. */
  private static String headlineId(PeriodKind kind, LocalDate today) {
    return KpiRow.id(kind.code(), kind.of(today).start(), "league", "");
  }

  private static void line(StringBuilder out, String label, KpiRow r) {
    if (r == null) {
      out.append(String.format(Locale.ROOT, "%-22s%s%n", label, "  no events yet"));
      return;
    }
    out.append(
        String.format(
            Locale.ROOT,
            ROW,
            label,
            String.format(Locale.ROOT, "%,d", r.accepted()),
            String.format(Locale.ROOT, "%,d", r.completed()),
            percent(r.completedOnTime(), r.completed()),
            percent(r.completedOnline(), r.completed()),
            percent(r.completedZeroVisit(), r.completed()),
            r.completed() == 0
                ? "-"
                : String.format(Locale.ROOT, "%.1f", r.processingHoursSum() / r.completed()),
            percent(r.satisfactionPositive(), r.satisfactionResponses()),
            r.isFinal() ? "yes" : "no"));
  }

  static String percent(long part, long whole) {
    return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
  }

  private static int areaOrder(KpiRow row) {
    for (int i = 0; i < County.ALL.size(); i++) {
      if (County.ALL.get(i).code().equals(row.scopeKey())) {
        return i;
      }
    }
    return County.ALL.size();
  }
}
