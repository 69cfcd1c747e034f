-- Stall occupancy of the whole League per ISO week, last 8 weeks (week rows start on Monday).
SELECT
    period_start                                                      AS week_from,
    period_end                                                        AS week_to,
    markets_reporting,
    round(stalls_occupied_sum / nullIf(stalls_total_sum, 0), 4)      AS occupancy,
    stalls_occupied_peak,
    jobs_matched,
    is_final
FROM kpi_market FINAL
WHERE period = 'week'
  AND scope = 'league'
  AND period_start >= toMonday(toDate(now(), 'Asia/Shanghai')) - 7 * 7
ORDER BY period_start;
