-- "This week / this half month / this month so far": the periods that contain today's local date.
-- Today is taken in the League's zone, Asia/Shanghai: the one place the views name a zone (the
-- rows' Date columns are local dates in the job's --zone; see sql/README.md for another zone).
-- 18.16 has no today('zone') and no toLastDayOfMonth, hence toDate(now(), zone) and the
-- addMonths(...) - 1 forms.
CREATE VIEW IF NOT EXISTS current_periods AS
SELECT
    period,
    period_start,
    period_end,
    local_date,
    toUInt32(local_date - period_start + 1) AS days_elapsed,
    toUInt32(period_end - period_start + 1) AS days_total
FROM
(
    SELECT
        toDate(now(), 'Asia/Shanghai') AS local_date,
        ['week', 'half_month', 'month', 'quarter', 'year'] AS kinds,
        [
            toMonday(local_date),
            if(toDayOfMonth(local_date) <= 15, toStartOfMonth(local_date), toStartOfMonth(local_date) + 15),
            toStartOfMonth(local_date),
            toStartOfQuarter(local_date),
            toStartOfYear(local_date)
        ] AS starts,
        [
            toMonday(local_date) + 6,
            if(toDayOfMonth(local_date) <= 15, toStartOfMonth(local_date) + 14, addMonths(toStartOfMonth(local_date), 1) - 1),
            addMonths(toStartOfMonth(local_date), 1) - 1,
            addMonths(toStartOfQuarter(local_date), 3) - 1,
            addYears(toStartOfYear(local_date), 1) - 1
        ] AS ends
)
ARRAY JOIN
    kinds AS period,
    starts AS period_start,
    ends AS period_end;
-- The rate rows of the current periods. A scope without any event in a current period has no row.
CREATE VIEW IF NOT EXISTS service_current AS
SELECT *
FROM service_rates
WHERE (period, period_start) IN (SELECT period, period_start FROM current_periods);
CREATE VIEW IF NOT EXISTS market_current AS
SELECT *
FROM market_rates
WHERE (period, period_start) IN (SELECT period, period_start FROM current_periods);
CREATE VIEW IF NOT EXISTS project_current AS
SELECT *
FROM project_rates
WHERE (period, period_start) IN (SELECT period, period_start FROM current_periods);
