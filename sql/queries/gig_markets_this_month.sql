-- How many jobs do the gig-work markets (零工市场) match per registered worker this month?
-- League-wide over the markets of type gig; workers = latest registration count per market.
-- Returns: markets_reporting, markets_operating, workers_registered, jobs_matched, jobs_per_worker
SELECT
    markets_reporting,
    markets_operating,
    workers_registered_latest AS workers_registered,
    jobs_matched,
    round(jobs_per_worker, 3) AS jobs_per_worker
FROM market_current
WHERE period = 'month'
  AND scope = 'market_type'
  AND scope_key = 'gig';
