package cn.xingan.kpi.testing.sql;

import static java.util.Map.entry;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The columns each dashboard panel is meant to show, by "dashboard uid / panel title": the panel's
 * field overrides, units and the operators' reading depend on these names, so a query that returns
 * other columns is a broken panel even when it runs. Time-series panels start with {@code time}. A
 * new panel needs a line here (the ITCase fails for a panel without one).
 */
final class PanelColumns {
  private PanelColumns() {}

  private static final String OVERVIEW = "xingan-kpi-overview / ";
  private static final String SERVICES = "xingan-kpi-services / ";
  private static final String MARKETS = "xingan-kpi-markets / ";
  private static final String PROJECTS = "xingan-kpi-projects / ";

  private static final List<String> LAGGING_AREA =
      List.of(
          "projects",
          "projects_lagging",
          "lagging_share",
          "behind_plan",
          "start_overdue",
          "no_report",
          "plan_completion");

  static final Map<String, List<String>> EXPECTED =
      Map.ofEntries(
          entry(OVERVIEW + "On-time rate", List.of("on_time_rate")),
          entry(OVERVIEW + "Online share", List.of("online_share")),
          entry(OVERVIEW + "Zero-visit share", List.of("zero_visit_share")),
          entry(OVERVIEW + "Satisfied (rating 4 or 5)", List.of("satisfied_share")),
          entry(OVERVIEW + "Stall occupancy", List.of("occupancy")),
          entry(OVERVIEW + "Lagging projects", List.of("projects_lagging", "critical_alerts")),
          entry(
              OVERVIEW + "Plan completion (year to date)",
              List.of("plan_completion", "year_elapsed")),
          entry(OVERVIEW + "Investment year on year", List.of("investment_ytd_yoy_pct")),
          entry(
              OVERVIEW + "Completed services (year on year)",
              List.of("completed_ytd_yoy_pct", "on_time_rate_ytd_change_pp")),
          entry(
              OVERVIEW + "Services by ${period}",
              List.of(
                  "time", "on_time_rate", "online_share", "zero_visit_share", "satisfied_share")),
          entry(OVERVIEW + "Stall occupancy by ${period}", List.of("time", "occupancy")),
          entry(
              OVERVIEW + "Plan completion by ${period}",
              List.of("time", "plan_completion", "year_elapsed_at_end")),
          entry(
              OVERVIEW + "Lagging projects and their alerts",
              List.of(
                  "project_name",
                  "county",
                  "chain",
                  "severity",
                  "rules",
                  "open_alerts",
                  "first_opened_at",
                  "plan_completion")),
          entry(SERVICES + "Completed", List.of("completed")),
          entry(SERVICES + "On-time rate", List.of("on_time_rate")),
          entry(SERVICES + "Online share", List.of("online_share")),
          entry(SERVICES + "Zero-visit share", List.of("zero_visit_share")),
          entry(SERVICES + "Satisfied (rating 4 or 5)", List.of("satisfied_share")),
          entry(
              SERVICES + "Average processing days",
              List.of("processing_days_avg", "promised_days_avg")),
          entry(
              SERVICES + "Days saved against the statutory limit",
              List.of("days_saved_avg", "promised_days_saved_avg")),
          entry(
              SERVICES + "Rates by ${period}",
              List.of(
                  "time", "on_time_rate", "online_share", "zero_visit_share", "satisfied_share")),
          entry(
              SERVICES + "Processing days by ${period}",
              List.of("time", "processing_days_avg", "promised_days_avg", "statutory_days_avg")),
          entry(
              SERVICES + "Departments this ${period}",
              List.of(
                  "department",
                  "completed",
                  "on_time_rate",
                  "online_share",
                  "zero_visit_share",
                  "satisfied_share",
                  "processing_days_avg",
                  "days_saved_avg")),
          entry(
              SERVICES + "Services that miss their promise most",
              List.of(
                  "service",
                  "completed",
                  "late",
                  "on_time_rate",
                  "processing_days_avg",
                  "promised_days_avg")),
          entry(
              SERVICES + "Channels this ${period}",
              List.of(
                  "channel",
                  "completed",
                  "on_time_rate",
                  "zero_visit_share",
                  "processing_days_avg")),
          entry(
              SERVICES + "Year on year (year to date)",
              List.of(
                  "through",
                  "through_last_year",
                  "completed_ytd",
                  "completed_ytd_ly",
                  "completed_ytd_yoy_pct",
                  "accepted_ytd",
                  "accepted_ytd_ly",
                  "on_time_rate_ytd",
                  "on_time_rate_ytd_ly",
                  "on_time_rate_ytd_change_pp")),
          entry(MARKETS + "Stall occupancy", List.of("occupancy")),
          entry(MARKETS + "Markets reporting", List.of("markets_reporting")),
          entry(
              MARKETS + "Operating / upgrading / closed",
              List.of("markets_operating", "markets_upgrading", "markets_closed")),
          entry(
              MARKETS + "Gig workers and jobs",
              List.of("workers_registered_latest", "jobs_matched")),
          entry(
              MARKETS + "Stall occupancy by ${period}",
              List.of("time", "occupancy", "operating_share")),
          entry(
              MARKETS + "Occupancy by market type by ${period}",
              List.of("time", "market_type", "occupancy")),
          entry(
              MARKETS + "Market types this ${period}",
              List.of(
                  "market_type",
                  "markets_reporting",
                  "occupancy",
                  "stalls_occupied_peak",
                  "markets_operating",
                  "markets_upgrading",
                  "markets_closed")),
          entry(
              MARKETS + "Markets this ${period}",
              List.of(
                  "market",
                  "observations",
                  "occupancy",
                  "stalls_per_report",
                  "stalls_occupied_peak",
                  "jobs_matched")),
          entry(PROJECTS + "Projects", List.of("projects", "projects_reporting")),
          entry(
              PROJECTS + "Plan completion (year to date)",
              List.of("plan_completion", "year_elapsed")),
          entry(PROJECTS + "Investment this ${period}", List.of("investment_cny")),
          entry(PROJECTS + "Investment year on year", List.of("investment_ytd_yoy_pct")),
          entry(PROJECTS + "Lagging projects", List.of("projects_lagging", "critical_alerts")),
          entry(PROJECTS + "Lagging by area", prefixed("county", LAGGING_AREA)),
          entry(PROJECTS + "Lagging by chain", prefixed("chain", LAGGING_AREA)),
          entry(
              PROJECTS + "Investment year on year by chain",
              List.of(
                  "chain",
                  "investment_ytd_cny",
                  "investment_ytd_ly_cny",
                  "investment_ytd_yoy_pct")),
          entry(
              PROJECTS + "Investment year on year by area",
              List.of(
                  "county",
                  "investment_ytd_cny",
                  "investment_ytd_ly_cny",
                  "investment_ytd_yoy_pct")),
          entry(
              PROJECTS + "Investment by ${period}",
              List.of("time", "investment_cny", "investment_ytd_cny")),
          entry(
              PROJECTS + "Milestones this ${period} by chain",
              List.of(
                  "chain", "started", "half_complete", "trial_run", "in_production", "completed")),
          entry(
              PROJECTS + "Open alerts",
              List.of(
                  "severity", "rule", "county", "chain", "project_name", "opened_at", "detail")));

  private static List<String> prefixed(String first, List<String> rest) {
    return Stream.concat(Stream.of(first), rest.stream()).toList();
  }
}
