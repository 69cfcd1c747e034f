-- Views that read the tables deduplicated, so a dashboard cannot forget FINAL. They come last
-- (after every table and ALTER): a view's column list is fixed when it is created, and the schema
-- installer recreates a view whose columns no longer match its SELECT.
CREATE VIEW IF NOT EXISTS kpi_project_final AS SELECT * FROM kpi_project FINAL;
CREATE VIEW IF NOT EXISTS kpi_service_final AS SELECT * FROM kpi_service FINAL;
CREATE VIEW IF NOT EXISTS kpi_market_final AS SELECT * FROM kpi_market FINAL;
-- Alerts in their latest state; an alert withdrawn after a late event (see 104_...) is no alert.
CREATE VIEW IF NOT EXISTS project_alerts_current AS
SELECT * FROM project_alerts FINAL WHERE withdrawn = 0;
CREATE VIEW IF NOT EXISTS project_alerts_open AS
SELECT * FROM project_alerts FINAL WHERE status = 'open' AND withdrawn = 0;
-- Each rejected record once, however often a replay rejected it again.
CREATE VIEW IF NOT EXISTS rejected_events_final AS SELECT * FROM rejected_events FINAL;
