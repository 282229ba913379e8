-- One row per hub ticket the connector has tried to create in iTop (see ExternalTicketStore), with
-- what the status and reply sync last saw of it (see SyncStore).
CREATE TABLE external_tickets (
    ticket_id        TEXT    NOT NULL PRIMARY KEY,
    reference        TEXT    NOT NULL,
    itop_id          INTEGER NULL,
    state            TEXT    NOT NULL CHECK (state IN ('creating', 'created', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT    NULL,
    moved_at         TEXT    NULL,
    itop_status      TEXT    NULL,
    itop_last_update TEXT    NULL,
    log_entries      INTEGER NOT NULL DEFAULT 0,
    closed_at        TEXT    NULL,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);
CREATE INDEX ix_external_tickets_reference ON external_tickets (reference);
CREATE INDEX ix_external_tickets_itop_id ON external_tickets (itop_id);

-- Public log entries the hub wrote itself (the collège's comments, re-route notes): never sent
-- back to the hub as replies.
CREATE TABLE hub_log_entries (
    ticket_id   TEXT    NOT NULL,
    entry_index INTEGER NOT NULL,
    user_id     TEXT    NULL,
    written_at  TEXT    NOT NULL,
    PRIMARY KEY (ticket_id, entry_index)
);

-- How far the sync has read iTop's changes: the latest last_update it processed, as an instant.
CREATE TABLE sync_cursor (
    id          INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    last_update TEXT    NULL,
    updated_at  TEXT    NULL
);
INSERT INTO sync_cursor (id, last_update, updated_at) VALUES (1, NULL, NULL);
