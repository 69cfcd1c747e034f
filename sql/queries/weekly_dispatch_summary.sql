-- What are this week's headline numbers for the weekly dispatch (一周一调度)?
-- One row for the whole League, this ISO week so far; NULL where a stream has no row this week.
-- (investment_cny as Float64: 18.16 cannot return a Decimal from a scalar subquery.)
-- Returns: week_from, completed, on_time_rate, online_share, zero_visit_share, occupancy, projects_reporting, investment_cny, projects_lagging, critical_alerts
SELECT
    period_start                                                                        AS week_from,
    (SELECT completed FROM service_current WHERE period = 'week' AND scope = 'league')         AS completed,
    (SELECT round(on_time_rate, 4) FROM service_current WHERE period = 'week' AND scope = 'league') AS on_time_rate,
    (SELECT round(online_share, 4) FROM service_current WHERE period = 'week' AND scope = 'league') AS online_share,
    (SELECT round(zero_visit_share, 4) FROM service_current WHERE period = 'week' AND scope = 'league') AS zero_visit_share,
    (SELECT round(occupancy, 4) FROM market_current WHERE period = 'week' AND scope = 'league') AS occupancy,
    (SELECT projects_reporting FROM project_current WHERE period = 'week' AND scope = 'league') AS projects_reporting,
    (SELECT toFloat64(investment_cny) FROM project_current WHERE period = 'week' AND scope = 'league') AS investment_cny,
    (SELECT projects_lagging FROM lagging_by_area WHERE scope = 'league')                      AS projects_lagging,
    (SELECT critical_alerts FROM lagging_by_area WHERE scope = 'league')                       AS critical_alerts
FROM current_periods
WHERE period = 'week';
