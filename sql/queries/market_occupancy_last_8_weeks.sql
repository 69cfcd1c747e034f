-- How did stall occupancy move week by week over the last 8 weeks?
-- The whole League per ISO week (Monday to Sunday), with the change against the week before in
-- percentage points (NULL for the first week or a week without reports before it).
-- Returns: week_from, week_to, markets_reporting, occupancy, change_pp, stalls_occupied_peak, jobs_matched, is_final
SELECT
    period_start                                   AS week_from,
    period_end                                     AS week_to,
    markets_reporting,
    round(occupancy, 4)                            AS occupancy,
    round(100 * (occupancy - occupancy_before), 2) AS change_pp,
    stalls_occupied_peak,
    jobs_matched,
    is_final
FROM
(
    SELECT period_start, period_end, period_start - 7 AS week_before, markets_reporting, occupancy,
           stalls_occupied_peak, jobs_matched, is_final
    FROM market_rates
    WHERE period = 'week'
      AND scope = 'league'
      AND period_start >= (SELECT period_start FROM current_periods WHERE period = 'week') - 7 * 7
)
ALL LEFT JOIN
(
    SELECT period_start AS week_before, occupancy AS occupancy_before
    FROM market_rates
    WHERE period = 'week'
      AND scope = 'league'
)
USING week_before
ORDER BY week_from;
