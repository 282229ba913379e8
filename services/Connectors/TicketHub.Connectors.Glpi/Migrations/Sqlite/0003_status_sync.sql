-- What the status sync last saw of each GLPI ticket the hub created (see Sync/GlpiStatusSync.cs):
-- a change is reported when GLPI's value differs from these, then these move in the same
-- transaction as the outbox message, so a change is neither lost nor reported twice.
ALTER TABLE external_tickets ADD glpi_status INTEGER NULL;
ALTER TABLE external_tickets ADD glpi_date_mod TEXT NULL;
ALTER TABLE external_tickets ADD followup_count INTEGER NULL;
ALTER TABLE external_tickets ADD last_followup_id INTEGER NULL;
ALTER TABLE external_tickets ADD last_solution_id INTEGER NULL;
ALTER TABLE external_tickets ADD sync_version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ix_external_tickets_external_id ON external_tickets (external_id);

-- Where the next search for changed tickets starts: a date_mod as GLPI writes it (its local time).
CREATE TABLE sync_cursors (
    name       TEXT NOT NULL PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Follow-ups the hub itself wrote in GLPI (collège comments, re-route notices): never reported back
-- as replies; a comment is written once.
CREATE TABLE hub_followups (
    followup_id INTEGER NOT NULL PRIMARY KEY,
    ticket_id   TEXT    NOT NULL,
    comment_id  TEXT    NULL,
    posted_at   TEXT    NOT NULL
);
CREATE INDEX ix_hub_followups_ticket ON hub_followups (ticket_id);
CREATE UNIQUE INDEX ux_hub_followups_comment ON hub_followups (comment_id) WHERE comment_id IS NOT NULL;
