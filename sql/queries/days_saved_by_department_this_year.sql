-- How many days do departments save against the statutory time limits this year?
-- Per completed transaction: days_saved = statutory days - actual processing days (accepted to
-- completed, calendar time); promised_days_saved = statutory - promised days (e.g. 180 -> 16).
-- Returns: department, completed, statutory_days_avg, promised_days_avg, processing_days_avg, days_saved_avg, promised_days_saved_avg, statutory_time_used
SELECT
    scope_key                          AS department,
    completed,
    round(statutory_days_avg, 2)       AS statutory_days_avg,
    round(promised_days_avg, 2)        AS promised_days_avg,
    round(processing_days_avg, 2)      AS processing_days_avg,
    round(days_saved_avg, 2)           AS days_saved_avg,
    round(promised_days_saved_avg, 2)  AS promised_days_saved_avg,
    round(statutory_time_used, 4)      AS statutory_time_used
FROM service_current
WHERE period = 'year'
  AND scope = 'department'
ORDER BY days_saved_avg DESC, department;
