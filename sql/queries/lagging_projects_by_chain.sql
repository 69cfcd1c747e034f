-- Which industry chains have the most lagging projects?
-- A project lags while one of its alerts is open; projects = registered in the chain this year.
-- For the chain chiefs (链长) before the half-monthly inspection.
-- Returns: chain, projects, projects_lagging, lagging_share, critical_alerts, behind_plan, start_overdue, no_report
SELECT
    scope_key                  AS chain,
    projects,
    projects_lagging,
    round(lagging_share, 4)    AS lagging_share,
    critical_alerts,
    behind_plan,
    start_overdue,
    no_report
FROM lagging_by_area
WHERE scope = 'chain'
ORDER BY projects_lagging DESC, critical_alerts DESC, chain;
