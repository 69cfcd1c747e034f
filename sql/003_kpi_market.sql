-- Market and stall KPIs (stream market-stall-counts), one row per (period, scope, scope_key,
-- period_start). Scopes: league, county, market_type, market. Read with FINAL or
-- kpi_market_final. `events` is the number of input events the row reflects;
-- version = events * 2 + is_final.
CREATE TABLE IF NOT EXISTS kpi_market
(
    period                    String,
    period_start              Date,
    period_end                Date,
    scope                     String,
    scope_key                 String,
    markets_reporting         UInt32,
    observations              UInt64,
    stalls_occupied_sum       UInt64,
    stalls_total_sum          UInt64,
    stalls_occupied_peak      UInt64,
    markets_operating         UInt32,
    markets_upgrading         UInt32,
    markets_closed            UInt32,
    workers_registered_latest UInt64,
    jobs_matched              UInt64,
    events                    UInt64,
    is_final                  UInt8,
    version                   UInt64,
    updated_at                DateTime
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYear(period_start)
ORDER BY (period, scope, scope_key, period_start);
