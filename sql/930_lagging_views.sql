-- Lagging projects: a project is lagging while at least one of its alerts is open in its latest
-- state (project_alerts_open reads project_alerts FINAL). The figures of the year come from this
-- year's kpi_project row (the year of today's local date, see current_periods).
CREATE VIEW IF NOT EXISTS lagging_projects AS
SELECT
    project_id,
    name_latest AS project_name,
    county_latest AS county,
    chain_latest AS chain,
    if(critical_alerts > 0, 'critical', 'warning') AS severity,
    open_alerts,
    critical_alerts,
    rules,
    first_opened_at,
    planned_year_cny,
    investment_ytd_cny,
    plan_completion,
    progress_pct_avg
FROM
(
    SELECT
        project_id,
        argMax(project_name, updated_at) AS name_latest,
        argMax(county, updated_at) AS county_latest,
        argMax(chain, updated_at) AS chain_latest,
        count() AS open_alerts,
        countIf(severity = 'critical') AS critical_alerts,
        arrayStringConcat(arraySort(groupUniqArray(rule)), ',') AS rules,
        min(opened_at) AS first_opened_at
    FROM project_alerts_open
    GROUP BY project_id
)
ALL LEFT JOIN
(
    SELECT
        scope_key AS project_id,
        planned_year_cny,
        investment_ytd_cny,
        plan_completion,
        progress_pct_avg
    FROM project_rates
    WHERE scope = 'project'
      AND (period, period_start) IN (SELECT period, period_start FROM current_periods WHERE period = 'year')
)
USING project_id;
-- Lagging projects per area: scope league (scope_key ''), county or chain, the same keys as
-- kpi_project. Both halves are summed in one GROUP BY (no FULL JOIN): an area with projects and no
-- open alert has 0 lagging, an area with open alerts and no kpi_project row this year still shows.
CREATE VIEW IF NOT EXISTS lagging_by_area AS
SELECT
    scope,
    scope_key,
    sum(n_projects) AS projects,
    sum(n_lagging) AS projects_lagging,
    sum(n_lagging) / nullIf(sum(n_projects), 0) AS lagging_share,
    sum(n_open) AS open_alerts,
    sum(n_critical) AS critical_alerts,
    sum(n_behind_plan) AS behind_plan,
    sum(n_start_overdue) AS start_overdue,
    sum(n_no_report) AS no_report,
    sum(planned) AS planned_year_cny,
    sum(ytd) AS investment_ytd_cny,
    toFloat64(sum(ytd)) / nullIf(toFloat64(sum(planned)), 0) AS plan_completion
FROM
(
    SELECT
        scope,
        scope_key,
        toUInt64(projects) AS n_projects,
        toUInt64(0) AS n_lagging,
        toUInt64(0) AS n_open,
        toUInt64(0) AS n_critical,
        toUInt64(0) AS n_behind_plan,
        toUInt64(0) AS n_start_overdue,
        toUInt64(0) AS n_no_report,
        planned_year_cny AS planned,
        investment_ytd_cny AS ytd
    FROM project_rates
    WHERE scope IN ('league', 'county', 'chain')
      AND (period, period_start) IN (SELECT period, period_start FROM current_periods WHERE period = 'year')
    UNION ALL
    SELECT
        scope,
        scope_key,
        toUInt64(0) AS n_projects,
        toUInt64(uniqExact(project_id)) AS n_lagging,
        toUInt64(count()) AS n_open,
        toUInt64(countIf(severity = 'critical')) AS n_critical,
        toUInt64(countIf(rule = 'behind_plan')) AS n_behind_plan,
        toUInt64(countIf(rule = 'start_overdue')) AS n_start_overdue,
        toUInt64(countIf(rule = 'no_report')) AS n_no_report,
        toDecimal64(0, 2) AS planned,
        toDecimal64(0, 2) AS ytd
    FROM project_alerts_open
    ARRAY JOIN
        ['league', 'county', 'chain'] AS scope,
        ['', county, chain] AS scope_key
    GROUP BY scope, scope_key
)
GROUP BY scope, scope_key;
