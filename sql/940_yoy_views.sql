-- Year on year, at half-month granularity (the finest period that lines up across years: the 1st
-- and the 16th exist in every month, ISO weeks do not).
-- For a half month H of year Y (index 0..23: Jan 1-15 is 0, Jan 16-31 is 1, ..., Dec 16-31 is 23):
--   this half month    = H;                 the same half month last year = index of H in Y - 1;
--   year to date       = Jan 1 of Y to the last day of H, both inclusive;
--   the same period last year = Jan 1 of Y - 1 to the last day of the same half month of Y - 1.
-- (Feb 16-28 against Feb 16-29 is the same half month, not the same number of days.)
-- Sums are over the FINAL half_month rows of the key; a half month without a row counts 0, so
-- keys are listed for every half month of a year that has a row in that year or the year before,
-- up to the current half month (current_periods). yoy_pct = 100 * (this / last - 1), NULL when last
-- year's figure is 0. complete = 0 for the current, still running, half month.
-- Without window functions (18.16), each row is expanded with arrayJoin to its own year and the
-- next (where it is "last year") and to the 24 half months, then summed with sumIf.
CREATE VIEW IF NOT EXISTS project_yoy AS
SELECT
    scope,
    scope_key,
    period_start,
    period_end,
    subtractYears(period_start, 1) AS ly_period_start,
    if(half_index % 2 = 0, ly_period_start + 14, addMonths(toStartOfMonth(ly_period_start), 1) - 1) AS ly_period_end,
    toUInt8(period_end < (SELECT local_date FROM current_periods WHERE period = 'half_month')) AS complete,
    inv AS investment_cny,
    inv_ly AS investment_ly_cny,
    ytd AS investment_ytd_cny,
    ytd_ly AS investment_ytd_ly_cny,
    100 * (toFloat64(ytd) / nullIf(toFloat64(ytd_ly), 0) - 1) AS investment_ytd_yoy_pct
FROM
(
    SELECT
        scope,
        scope_key,
        half_index,
        addMonths(toDate(concat(toString(for_year), '-01-01')), intDiv(half_index, 2)) + 15 * (half_index % 2) AS period_start,
        if(half_index % 2 = 0, period_start + 14, addMonths(toStartOfMonth(period_start), 1) - 1) AS period_end,
        sumIf(amount, row_year = for_year AND row_half = half_index) AS inv,
        sumIf(amount, row_year + 1 = for_year AND row_half = half_index) AS inv_ly,
        sumIf(amount, row_year = for_year AND row_half <= half_index) AS ytd,
        sumIf(amount, row_year + 1 = for_year AND row_half <= half_index) AS ytd_ly
    FROM
    (
        SELECT
            scope,
            scope_key,
            toYear(period_start) AS row_year,
            (toMonth(period_start) - 1) * 2 + (toDayOfMonth(period_start) >= 16) AS row_half,
            investment_cny AS amount,
            arrayJoin([toUInt32(row_year), toUInt32(row_year) + 1]) AS for_year,
            arrayJoin(range(24)) AS half_index
        FROM kpi_project_final
        WHERE period = 'half_month'
    )
    GROUP BY scope, scope_key, for_year, half_index
)
WHERE period_start <= (SELECT period_start FROM current_periods WHERE period = 'half_month');
CREATE VIEW IF NOT EXISTS service_yoy AS
SELECT
    scope,
    scope_key,
    period_start,
    period_end,
    subtractYears(period_start, 1) AS ly_period_start,
    if(half_index % 2 = 0, ly_period_start + 14, addMonths(toStartOfMonth(ly_period_start), 1) - 1) AS ly_period_end,
    toUInt8(period_end < (SELECT local_date FROM current_periods WHERE period = 'half_month')) AS complete,
    done AS completed,
    done_ly AS completed_ly,
    done_ytd AS completed_ytd,
    done_ytd_ly AS completed_ytd_ly,
    100 * (done_ytd / nullIf(done_ytd_ly, 0) - 1) AS completed_ytd_yoy_pct,
    acc_ytd AS accepted_ytd,
    acc_ytd_ly AS accepted_ytd_ly,
    100 * (acc_ytd / nullIf(acc_ytd_ly, 0) - 1) AS accepted_ytd_yoy_pct,
    on_time_ytd / nullIf(done_ytd, 0) AS on_time_rate_ytd,
    on_time_ytd_ly / nullIf(done_ytd_ly, 0) AS on_time_rate_ytd_ly,
    100 * (on_time_rate_ytd - on_time_rate_ytd_ly) AS on_time_rate_ytd_change_pp,
    online_ytd / nullIf(done_ytd, 0) AS online_share_ytd,
    online_ytd_ly / nullIf(done_ytd_ly, 0) AS online_share_ytd_ly
FROM
(
    SELECT
        scope,
        scope_key,
        half_index,
        addMonths(toDate(concat(toString(for_year), '-01-01')), intDiv(half_index, 2)) + 15 * (half_index % 2) AS period_start,
        if(half_index % 2 = 0, period_start + 14, addMonths(toStartOfMonth(period_start), 1) - 1) AS period_end,
        sumIf(n_completed, row_year = for_year AND row_half = half_index) AS done,
        sumIf(n_completed, row_year + 1 = for_year AND row_half = half_index) AS done_ly,
        sumIf(n_completed, row_year = for_year AND row_half <= half_index) AS done_ytd,
        sumIf(n_completed, row_year + 1 = for_year AND row_half <= half_index) AS done_ytd_ly,
        sumIf(n_accepted, row_year = for_year AND row_half <= half_index) AS acc_ytd,
        sumIf(n_accepted, row_year + 1 = for_year AND row_half <= half_index) AS acc_ytd_ly,
        sumIf(n_on_time, row_year = for_year AND row_half <= half_index) AS on_time_ytd,
        sumIf(n_on_time, row_year + 1 = for_year AND row_half <= half_index) AS on_time_ytd_ly,
        sumIf(n_online, row_year = for_year AND row_half <= half_index) AS online_ytd,
        sumIf(n_online, row_year + 1 = for_year AND row_half <= half_index) AS online_ytd_ly
    FROM
    (
        SELECT
            scope,
            scope_key,
            toYear(period_start) AS row_year,
            (toMonth(period_start) - 1) * 2 + (toDayOfMonth(period_start) >= 16) AS row_half,
            completed AS n_completed,
            accepted AS n_accepted,
            completed_on_time AS n_on_time,
            completed_online AS n_online,
            arrayJoin([toUInt32(row_year), toUInt32(row_year) + 1]) AS for_year,
            arrayJoin(range(24)) AS half_index
        FROM kpi_service_final
        WHERE period = 'half_month'
    )
    GROUP BY scope, scope_key, for_year, half_index
)
WHERE period_start <= (SELECT period_start FROM current_periods WHERE period = 'half_month');
-- The latest half month that has ended: the one whose last day is the day before the current half
-- month starts. "This year vs the same period last year" of the dashboards.
CREATE VIEW IF NOT EXISTS project_yoy_latest AS
SELECT *
FROM project_yoy
WHERE period_end = (SELECT period_start FROM current_periods WHERE period = 'half_month') - 1;
CREATE VIEW IF NOT EXISTS service_yoy_latest AS
SELECT *
FROM service_yoy
WHERE period_end = (SELECT period_start FROM current_periods WHERE period = 'half_month') - 1;
