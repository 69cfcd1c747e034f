-- Which services miss their promise most this month?
-- Transactions completed after the promised days (late = completed - completed on time), this
-- local month so far, most late first.
-- Returns: service, completed, late, on_time_rate, processing_days_avg, promised_days_avg, statutory_days_avg
SELECT
    scope_key                        AS service,
    completed,
    completed - completed_on_time    AS late,
    round(on_time_rate, 4)           AS on_time_rate,
    round(processing_days_avg, 2)    AS processing_days_avg,
    round(promised_days_avg, 2)      AS promised_days_avg,
    round(statutory_days_avg, 2)     AS statutory_days_avg
FROM service_current
WHERE period = 'month'
  AND scope = 'service'
  AND completed > 0
ORDER BY late DESC, on_time_rate, service
LIMIT 20;
