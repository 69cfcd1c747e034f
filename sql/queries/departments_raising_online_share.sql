-- Which departments raised their online share this month against last month?
-- Online share = completed online / completed. This month is the current local month so far, last
-- month the whole previous month; change in percentage points, biggest rise first (NULL: no
-- completed transaction last month).
-- Returns: department, completed_this_month, online_share_this_month, online_share_last_month, change_pp
SELECT
    department,
    completed_this_month,
    round(share_now, 4)                       AS online_share_this_month,
    round(share_before, 4)                    AS online_share_last_month,
    round(100 * (share_now - share_before), 2) AS change_pp
FROM
(
    SELECT scope_key AS department, completed AS completed_this_month, online_share AS share_now
    FROM service_current
    WHERE period = 'month'
      AND scope = 'department'
)
ALL LEFT JOIN
(
    SELECT scope_key AS department, online_share AS share_before
    FROM service_rates
    WHERE period = 'month'
      AND scope = 'department'
      AND period_start = addMonths((SELECT period_start FROM current_periods WHERE period = 'month'), -1)
)
USING department
ORDER BY change_pp DESC, department;
