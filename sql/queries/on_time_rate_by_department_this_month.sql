-- On-time completion rate per department for the current month (a local month in Asia/Shanghai),
-- best first. is_final = 0 means the month is still open and the row still changes.
SELECT
    scope_key                                          AS department,
    completed,
    completed_on_time,
    round(completed_on_time / nullIf(completed, 0), 4) AS on_time_rate,
    round(completed_zero_visit / nullIf(completed, 0), 4) AS zero_visit_rate,
    is_final
FROM kpi_service FINAL
WHERE period = 'month'
  AND scope = 'department'
  AND period_start = toStartOfMonth(toDate(now(), 'Asia/Shanghai'))
ORDER BY on_time_rate DESC, department;
