-- An alert that a streaming run opened but that the project's history, once an event arrived after
-- later ones (within the allowed lateness), does not have: its last version is status 'resolved'
-- with withdrawn = 1 (rows cannot be deleted). The views project_alerts_current and
-- project_alerts_open leave such alerts out; a reader of the table FINAL filters withdrawn = 0.
ALTER TABLE project_alerts ADD COLUMN IF NOT EXISTS withdrawn UInt8;
