-- How far is each county's investment this year against its annual plan, and against the time elapsed?
-- plan_completion = investment from Jan 1 / annual plan of the projects registered so far;
-- year_elapsed = share of the year gone by (序时进度). Lowest completion first: where projects lag.
-- Returns: county, projects, planned_year_cny, investment_ytd_cny, plan_completion, year_elapsed, started, completed, progress_pct_avg
SELECT
    scope_key                                                                        AS county,
    projects,
    planned_year_cny,
    investment_ytd_cny,
    round(plan_completion, 4)                                                        AS plan_completion,
    round((SELECT days_elapsed / days_total FROM current_periods WHERE period = 'year'), 4) AS year_elapsed,
    started,
    completed,
    round(progress_pct_avg, 1)                                                       AS progress_pct_avg
FROM project_current
WHERE period = 'year'
  AND scope = 'county'
ORDER BY plan_completion, county;
