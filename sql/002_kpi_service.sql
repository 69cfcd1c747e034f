-- Government-service KPIs (stream service-transactions), one row per (period, scope, scope_key,
-- period_start). Scopes: league, county, department, service, channel. Read with FINAL or
-- kpi_service_final. `events` is the number of input events the row reflects;
-- version = events * 2 + is_final.
CREATE TABLE IF NOT EXISTS kpi_service
(
    period                 String,
    period_start           Date,
    period_end             Date,
    scope                  String,
    scope_key              String,
    accepted               UInt64,
    completed              UInt64,
    rejected               UInt64,
    completed_on_time      UInt64,
    completed_online       UInt64,
    completed_zero_visit   UInt64,
    processing_hours_sum   Float64,
    processing_hours_max   Float64,
    promised_days_sum      UInt64,
    statutory_days_sum     UInt64,
    satisfaction_responses UInt64,
    satisfaction_positive  UInt64,
    events                 UInt64,
    is_final               UInt8,
    version                UInt64,
    updated_at             DateTime
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYear(period_start)
ORDER BY (period, scope, scope_key, period_start);
