-- Which projects have stopped reporting?
-- Open no_report alerts: no investment, progress or milestone report for 14 days (the default
-- --no-report-after); the longest silence first.
-- Returns: project_name, county, chain, silent_since_local, days_silent, detail
SELECT
    project_name,
    county,
    chain,
    toString(opened_at, 'Asia/Shanghai')                                  AS silent_since_local,
    14 + intDiv(toUnixTimestamp(now()) - toUnixTimestamp(opened_at), 86400) AS days_silent,
    detail
FROM project_alerts_open
WHERE rule = 'no_report'
ORDER BY opened_at, project_name;
