-- Rates computed from the stored counts, one row per FINAL row of each KPI table (every period,
-- scope and key). They read the *_final views, so a rate never mixes versions of one row.
-- Every ratio is a ratio of sums (never an average of rates) and is NULL when its denominator is
-- 0 (x / nullIf(d, 0)): "no data" is not "0 %". Rates are fractions (0.75, not 75).
-- Processing days are calendar time: processing hours / 24 (not working days).
CREATE VIEW IF NOT EXISTS service_rates AS
SELECT
    period,
    period_start,
    period_end,
    scope,
    scope_key,
    accepted,
    completed,
    rejected,
    completed_on_time,
    completed_online,
    completed_zero_visit,
    satisfaction_responses,
    satisfaction_positive,
    completed_on_time / nullIf(completed, 0) AS on_time_rate,
    completed_online / nullIf(completed, 0) AS online_share,
    completed_zero_visit / nullIf(completed, 0) AS zero_visit_share,
    satisfaction_positive / nullIf(satisfaction_responses, 0) AS satisfied_share,
    processing_hours_sum / 24 / nullIf(completed, 0) AS processing_days_avg,
    if(completed = 0, NULL, processing_hours_max / 24) AS processing_days_max,
    promised_days_sum / nullIf(completed, 0) AS promised_days_avg,
    statutory_days_sum / nullIf(completed, 0) AS statutory_days_avg,
    if(completed = 0, NULL, statutory_days_sum - processing_hours_sum / 24) AS days_saved_sum,
    (statutory_days_sum - processing_hours_sum / 24) / nullIf(completed, 0) AS days_saved_avg,
    (toInt64(statutory_days_sum) - toInt64(promised_days_sum)) / nullIf(completed, 0) AS promised_days_saved_avg,
    processing_hours_sum / 24 / nullIf(statutory_days_sum, 0) AS statutory_time_used,
    is_final,
    updated_at
FROM kpi_service_final;
CREATE VIEW IF NOT EXISTS market_rates AS
SELECT
    period,
    period_start,
    period_end,
    scope,
    scope_key,
    markets_reporting,
    observations,
    stalls_occupied_sum,
    stalls_total_sum,
    stalls_occupied_peak,
    stalls_occupied_sum / nullIf(stalls_total_sum, 0) AS occupancy,
    stalls_total_sum / nullIf(observations, 0) AS stalls_per_report,
    markets_operating,
    markets_upgrading,
    markets_closed,
    markets_operating / nullIf(markets_reporting, 0) AS operating_share,
    workers_registered_latest,
    jobs_matched,
    jobs_matched / nullIf(workers_registered_latest, 0) AS jobs_per_worker,
    is_final,
    updated_at
FROM kpi_market_final;
-- plan_completion = investment_ytd_cny / planned_year_cny: the year's investment up to the end of
-- the row's period against the annual plan of the projects registered by then.
-- year_elapsed_at_end = day of the year of period_end / days in that year, the "time progress"
-- (序时进度) that plan_completion is usually held against.
CREATE VIEW IF NOT EXISTS project_rates AS
SELECT
    period,
    period_start,
    period_end,
    scope,
    scope_key,
    projects,
    planned_year_cny,
    investment_cny,
    investment_ytd_cny,
    toFloat64(investment_ytd_cny) / nullIf(toFloat64(planned_year_cny), 0) AS plan_completion,
    toDayOfYear(period_end) / toDayOfYear(addYears(toStartOfYear(period_end), 1) - 1) AS year_elapsed_at_end,
    projects_reporting,
    projects_reporting / nullIf(projects, 0) AS reporting_share,
    started,
    half_complete,
    trial_run,
    in_production,
    completed,
    progress_pct_avg,
    is_final,
    updated_at
FROM kpi_project_final;
