-- What the status sync last saw of each GLPI ticket the hub created (see Sync/GlpiStatusSync.cs):
-- a change is reported when GLPI's value differs from these, then these move in the same
-- transaction as the outbox message, so a change is neither lost nor reported twice.
ALTER TABLE external_tickets
    ADD COLUMN glpi_status      BIGINT     NULL,
    ADD COLUMN glpi_date_mod    VARCHAR(19) NULL,
    ADD COLUMN followup_count   BIGINT     NULL,
    ADD COLUMN last_followup_id BIGINT     NULL,
    ADD COLUMN last_solution_id BIGINT     NULL,
    ADD COLUMN sync_version     BIGINT     NOT NULL DEFAULT 0;
CREATE INDEX ix_external_tickets_external_id ON external_tickets (external_id);

-- Where the next search for changed tickets starts: a date_mod as GLPI writes it (its local time).
CREATE TABLE sync_cursors (
    name       VARCHAR(50)    NOT NULL CONSTRAINT pk_sync_cursors PRIMARY KEY,
    value      VARCHAR(50)    NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- Follow-ups the hub itself wrote in GLPI (collège comments, re-route notices): never reported back
-- as replies; a comment is written once.
CREATE TABLE hub_followups (
    followup_id BIGINT              NOT NULL CONSTRAINT pk_hub_followups PRIMARY KEY,
    ticket_id   UUID NOT NULL,
    comment_id  UUID NULL,
    posted_at   TIMESTAMPTZ   NOT NULL
);
CREATE INDEX ix_hub_followups_ticket ON hub_followups (ticket_id);
CREATE UNIQUE INDEX ux_hub_followups_comment ON hub_followups (comment_id) WHERE comment_id IS NOT NULL;
