-- Which counties are below the 85 % satisfaction target this quarter?
-- Satisfied = rating 4 or 5 of the rated completed transactions (the "15-minute convenience
-- living circle" target is 85 %); the current local quarter so far.
-- Returns: county, satisfaction_responses, satisfied_share, gap_pp
SELECT
    scope_key                              AS county,
    satisfaction_responses,
    round(satisfied_share, 4)              AS satisfied_share,
    round(100 * (satisfied_share - 0.85), 2) AS gap_pp
FROM service_current
WHERE period = 'quarter'
  AND scope = 'county'
  AND satisfied_share < 0.85
ORDER BY satisfied_share, county;
