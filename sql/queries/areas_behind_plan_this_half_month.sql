-- Which areas' projects are behind plan this half month?
-- behind_plan alerts are checked at 00:00 on the 1st and the 16th, so the open ones are this half
-- month's findings (YTD investment below 80 % of what the plans expect by now; critical below
-- 50 %). plan_completion is the area's investment this year / annual plan, year_elapsed the share
-- of the year gone by. Areas with behind-plan projects first.
-- Returns: county, projects, projects_behind_plan, critical_alerts, plan_completion, year_elapsed
SELECT
    scope_key                                                                        AS county,
    projects,
    behind_plan                                                                      AS projects_behind_plan,
    critical_alerts,
    round(plan_completion, 4)                                                        AS plan_completion,
    round((SELECT days_elapsed / days_total FROM current_periods WHERE period = 'year'), 4) AS year_elapsed
FROM lagging_by_area
WHERE scope = 'county'
ORDER BY projects_behind_plan DESC, plan_completion, county;
