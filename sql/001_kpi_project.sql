-- Project-construction KPIs (stream project-progress), one row per (period, scope, scope_key,
-- period_start). Scopes: league, county, chain, list, project. Read with FINAL or kpi_project_final.
-- `events` is the number of input events the row reflects; version = events * 2 + is_final, or
-- for a row a late event corrected, changes * 2 + is_final (facts and retractions received; see
-- sql/README.md).
CREATE TABLE IF NOT EXISTS kpi_project
(
    period             String,
    period_start       Date,
    period_end         Date,
    scope              String,
    scope_key          String,
    projects           UInt32,
    planned_year_cny   Decimal(18, 2),
    investment_cny     Decimal(18, 2),
    investment_ytd_cny Decimal(18, 2),
    projects_reporting UInt32,
    started            UInt32,
    half_complete      UInt32,
    trial_run          UInt32,
    in_production      UInt32,
    completed          UInt32,
    progress_pct_avg   Float64,
    events             UInt64,
    is_final           UInt8,
    version            UInt64,
    updated_at         DateTime
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYear(period_start)
ORDER BY (period, scope, scope_key, period_start);
