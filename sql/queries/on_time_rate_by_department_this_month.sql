-- Which departments complete on time this month, and which do not?
-- The current local month (Asia/Shanghai) so far, best first; is_final = 0 while the month is open.
-- Returns: department, completed, completed_on_time, on_time_rate, zero_visit_rate, is_final
SELECT
    scope_key                   AS department,
    completed,
    completed_on_time,
    round(on_time_rate, 4)      AS on_time_rate,
    round(zero_visit_share, 4)  AS zero_visit_rate,
    is_final
FROM service_current
WHERE period = 'month'
  AND scope = 'department'
ORDER BY on_time_rate DESC, department;
