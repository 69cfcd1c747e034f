-- Input records the pipeline could not use, with the reason. An append-only log: a replay of the
-- same input adds rows again (received_at tells them apart). Duplicates are not stored here.
CREATE TABLE IF NOT EXISTS rejected_events
(
    received_at DateTime,
    source      String,
    partition   Int32,
    offset      Int64,
    event_id    String,
    reason      String,
    detail      String,
    raw         String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(received_at)
ORDER BY (received_at, source, partition, offset);
