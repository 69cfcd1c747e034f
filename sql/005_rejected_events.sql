-- Input records the pipeline could not use, with the reason. One row per record: the key is where
-- the record came from (Kafka topic, partition and offset; or the file's path, 0 and the line
-- number), the same on every replay, so a restart that reads records again or a repeated backfill
-- writes the same keys again and FINAL (or rejected_events_final) holds each record once, as of
-- its latest rejection. Not partitioned: received_at differs between replays and must not split a
-- key across partitions (FINAL only merges within one). Duplicates are not stored here.
-- An older database has this table as a MergeTree ordered by received_at; the schema installer
-- rebuilds it with its rows (see sql/README.md, Upgrades).
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
ENGINE = ReplacingMergeTree(received_at)
ORDER BY (source, partition, offset);
