-- How does investment in each industry chain compare with the same period last year?
-- Year to date = Jan 1 to the end of the last complete half month; the same period last year =
-- Jan 1 to the end of the same half month last year (view project_yoy_latest). yoy_pct =
-- 100 * (this / last - 1), NULL without investment last year.
-- Returns: chain, through, investment_ytd_cny, through_last_year, investment_ytd_ly_cny, yoy_pct
SELECT
    scope_key                          AS chain,
    period_end                         AS through,
    investment_ytd_cny,
    ly_period_end                      AS through_last_year,
    investment_ytd_ly_cny,
    round(investment_ytd_yoy_pct, 1)   AS yoy_pct
FROM project_yoy_latest
WHERE scope = 'chain'
ORDER BY investment_ytd_cny DESC, chain;
