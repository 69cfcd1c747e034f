package cn.xingan.kpi.local;

import cn.xingan.kpi.periods.Period;
import cn.xingan.kpi.periods.PeriodKind;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The markets part of the quickstart's live view: this week and this month for the whole League and
 * per market type, from `kpi_market` rows read over HTTP with {@link #QUERY}. Rendering is a pure
 * function of the rows and the day, so it is tested without ClickHouse; market types are shown by
 * code (Chinese names are double width in a terminal and would break the columns).
 */
public final class LiveMarketTable {

  /**
   * The rows the table needs, for ClickHouse 18.16: the league and market_type scopes of the open
   * week and month. Send it with the HTTP {@code database} parameter, or use {@link
   * #query(String)}. {@code today()} is in the server's zone, so the filter keeps one day of slack.
   */
  public static final String QUERY = query(null);

  private static final List<PeriodKind> KINDS = List.of(PeriodKind.WEEK, PeriodKind.MONTH);
  private static final List<String> TYPES =
      List.of("night", "morning", "morning_evening", "farmers", "gig");
  private static final String ROW = "%-22s%8s%10s%8s%7s%7s%7s%9s%7s%6s%n";

  private LiveMarketTable() {}

  /** {@link #QUERY} with the table qualified by {@code database} (none when null). */
  public static String query(String database) {
    if (database != null && !database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          "database '" + database + "' must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*)");
    }
    String table = database == null ? "kpi_market" : database + ".kpi_market";
    return "SELECT period, period_start, scope, scope_key, markets_reporting, observations,"
        + " stalls_occupied_sum, stalls_total_sum, stalls_occupied_peak, markets_operating,"
        + " markets_upgrading, markets_closed, workers_registered_latest, jobs_matched, is_final,"
        + " version FROM "
        + table
        + " FINAL WHERE scope IN ('league', 'market_type') AND period IN ('week', 'month')"
        + " AND period_end >= today() - 1";
  }

  /**
   * The text to print for {@code rows} (parsed JSONEachRow objects) on local day {@code today}: a
   * header and, for this week and this month, the League's line and one line per market type.
   */
  public static String render(List<Map<String, Object>> rows, LocalDate today) {
    Map<String, MarketRow> latest = new HashMap<>();
    for (Map<String, Object> map : rows) {
      MarketRow row = MarketRow.of(map);
      latest.merge(row.id(), row, (a, b) -> a.version() >= b.version() ? a : b);
    }
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            ROW,
            "markets and stalls",
            "markets",
            "occupancy",
            "peak",
            "open",
            "upgr",
            "closed",
            "workers",
            "jobs",
            "final"));
    for (PeriodKind kind : KINDS) {
      Period period = kind.of(today);
      String label = kind.code() + " from " + period.start().toString().substring(5);
      line(out, label, latest.get(KpiRow.id(kind.code(), period.start(), "league", "")));
      List<MarketRow> types = new ArrayList<>();
      for (MarketRow row : latest.values()) {
        if (row.scope().equals("market_type")
            && row.period().equals(kind.code())
            && row.periodStart().equals(period.start())) {
          types.add(row);
        }
      }
      types.sort(
          Comparator.comparingInt(LiveMarketTable::typeOrder).thenComparing(MarketRow::scopeKey));
      for (MarketRow row : types) {
        line(out, "  " + row.scopeKey(), row);
      }
    }
    return out.toString();
  }

  private static void line(StringBuilder out, String label, MarketRow r) {
    if (r == null) {
      out.append(String.format(Locale.ROOT, "%-22s%s%n", label, "  no reports yet"));
      return;
    }
    out.append(
        String.format(
            Locale.ROOT,
            ROW,
            label,
            r.marketsReporting(),
            LiveKpiTable.percent(r.stallsOccupiedSum(), r.stallsTotalSum()),
            String.format(Locale.ROOT, "%,d", r.stallsOccupiedPeak()),
            r.marketsOperating(),
            r.marketsUpgrading(),
            r.marketsClosed(),
            String.format(Locale.ROOT, "%,d", r.workersRegisteredLatest()),
            String.format(Locale.ROOT, "%,d", r.jobsMatched()),
            r.isFinal() ? "yes" : "no"));
  }

  private static int typeOrder(MarketRow row) {
    int i = TYPES.indexOf(row.scopeKey());
    return i < 0 ? TYPES.size() : i;
  }
}
