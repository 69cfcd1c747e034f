-- Investment completed this year against the annual plan, per county (旗县市), lowest share
-- first: where projects lag behind.
SELECT
    scope_key                                                             AS county,
    projects,
    planned_year_cny,
    investment_ytd_cny,
    round(toFloat64(investment_ytd_cny) / nullIf(toFloat64(planned_year_cny), 0), 4) AS share_of_plan,
    started,
    completed,
    round(progress_pct_avg, 1)                                            AS progress_pct_avg
FROM kpi_project FINAL
WHERE period = 'year'
  AND scope = 'county'
  AND period_start = toStartOfYear(toDate(now(), 'Asia/Shanghai'))
ORDER BY share_of_plan, county;
