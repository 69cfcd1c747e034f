-- Lagging-project alerts, one row per alert (alert_id is deterministic); each change of an alert
-- is a new row with a higher version. resolved_at is the instant 0 (1970-01-01 00:00:00 UTC)
-- while the alert is open. Read with FINAL or project_alerts_current.
CREATE TABLE IF NOT EXISTS project_alerts
(
    alert_id     String,
    project_id   String,
    project_name String,
    county       String,
    chain        String,
    rule         String,
    severity     String,
    status       String,
    opened_at    DateTime,
    resolved_at  DateTime,
    detail       String,
    version      UInt64,
    updated_at   DateTime
)
ENGINE = ReplacingMergeTree(version)
ORDER BY alert_id;
