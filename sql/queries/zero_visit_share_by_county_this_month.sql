-- Where do citizens still have to come in person ("not a single trip", 一次都不跑)?
-- Share of completed transactions with zero visits, per county, this local month so far, lowest first.
-- Returns: county, completed, zero_visit_share, online_share
SELECT
    scope_key                  AS county,
    completed,
    round(zero_visit_share, 4) AS zero_visit_share,
    round(online_share, 4)     AS online_share
FROM service_current
WHERE period = 'month'
  AND scope = 'county'
ORDER BY zero_visit_share, county;
