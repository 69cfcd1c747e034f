-- Views that read the tables deduplicated, so a dashboard cannot forget FINAL. They come last
-- (after every table and ALTER): a view's column list is fixed when it is created, and the schema
-- installer recreates a view whose columns no longer match its SELECT.
CREATE VIEW IF NOT EXISTS kpi_project_final AS SELECT * FROM kpi_project FINAL;
CREATE VIEW IF NOT EXISTS kpi_service_final AS SELECT * FROM kpi_service FINAL;
CREATE VIEW IF NOT EXISTS kpi_market_final AS SELECT * FROM kpi_market FINAL;
CREATE VIEW IF NOT EXISTS project_alerts_current AS SELECT * FROM project_alerts FINAL;
CREATE VIEW IF NOT EXISTS project_alerts_open AS
SELECT * FROM project_alerts FINAL WHERE status = 'open';
