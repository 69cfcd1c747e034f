-- How does each county's investment compare with the same period last year (the "+22.7 %" of the League)?
-- As investment_yoy_by_chain.sql, per county, with the whole League first.
-- Returns: area, through, investment_ytd_cny, investment_ytd_ly_cny, yoy_pct
SELECT
    if(scope = 'league', 'League', scope_key) AS area,
    period_end                                AS through,
    investment_ytd_cny,
    investment_ytd_ly_cny,
    round(investment_ytd_yoy_pct, 1)          AS yoy_pct
FROM project_yoy_latest
WHERE scope IN ('league', 'county')
ORDER BY scope = 'league' DESC, investment_ytd_cny DESC, area;
