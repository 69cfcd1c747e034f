-- What input was rejected in the last 24 hours, and why?
-- By source and reason, with one example per group; each record once, however often a replay
-- rejected it again.
-- Returns: source, reason, events, last_local, example_detail
SELECT
    source,
    reason,
    count()                                  AS events,
    toString(max(received_at), 'Asia/Shanghai') AS last_local,
    any(detail)                              AS example_detail
FROM rejected_events_final
WHERE received_at >= now() - INTERVAL 1 DAY
GROUP BY source, reason
ORDER BY events DESC, source, reason;
