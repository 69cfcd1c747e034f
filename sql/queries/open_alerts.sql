-- Which lagging-project alerts are open now, critical first?
-- Local times: DateTime columns hold instants, toString(t, zone) shows them in a zone whatever the
-- server's zone is.
-- Returns: severity, rule, county, chain, project_name, opened_local, days_open, detail
SELECT
    severity,
    rule,
    county,
    chain,
    project_name,
    toString(opened_at, 'Asia/Shanghai')              AS opened_local,
    intDiv(toUnixTimestamp(now()) - toUnixTimestamp(opened_at), 86400) AS days_open,
    detail
FROM project_alerts_open
ORDER BY severity = 'critical' DESC, opened_at, alert_id;
