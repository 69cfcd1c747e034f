-- How do service volumes and the on-time rate compare with the same period last year?
-- Year to date through the last complete half month against the same period last year (view
-- service_yoy_latest), for the League and each county; on-time change in percentage points.
-- Returns: area, through, completed_ytd, completed_ytd_ly, completed_yoy_pct, accepted_ytd, accepted_ytd_ly, on_time_rate_ytd, on_time_rate_ytd_ly, on_time_change_pp
SELECT
    if(scope = 'league', 'League', scope_key) AS area,
    period_end                                AS through,
    completed_ytd,
    completed_ytd_ly,
    round(completed_ytd_yoy_pct, 1)           AS completed_yoy_pct,
    accepted_ytd,
    accepted_ytd_ly,
    round(on_time_rate_ytd, 4)                AS on_time_rate_ytd,
    round(on_time_rate_ytd_ly, 4)             AS on_time_rate_ytd_ly,
    round(on_time_rate_ytd_change_pp, 2)      AS on_time_change_pp
FROM service_yoy_latest
WHERE scope IN ('league', 'county')
ORDER BY scope = 'league' DESC, completed_ytd DESC, area;
