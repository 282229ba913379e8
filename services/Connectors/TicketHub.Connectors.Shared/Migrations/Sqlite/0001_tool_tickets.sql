-- One row per hub ticket the connector has delivered or tried to deliver to its tool (see
-- ExternalTicketStore), with what the http mode's sync last saw of it.
CREATE TABLE external_tickets (
    ticket_id       TEXT    NOT NULL PRIMARY KEY,
    reference       TEXT    NOT NULL,
    external_id     TEXT    NULL,
    external_url    TEXT    NULL,
    state           TEXT    NOT NULL CHECK (state IN ('creating', 'relaying', 'created', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT    NULL,
    moved_at        TEXT    NULL,
    tool_status     TEXT    NULL,
    tool_updated_at TEXT    NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);
CREATE INDEX ix_external_tickets_reference ON external_tickets (reference);
CREATE INDEX ix_external_tickets_external_id ON external_tickets (external_id);

-- Messages of the tool's tickets the hub already reported, or wrote itself: never reported (again).
CREATE TABLE known_messages (
    ticket_id  TEXT NOT NULL,
    message_id TEXT NOT NULL,
    origin     TEXT NOT NULL CHECK (origin IN ('tool', 'hub')),
    seen_at    TEXT NOT NULL,
    PRIMARY KEY (ticket_id, message_id)
);

-- Where the next read of changed tickets starts (an instant, by the tool's clock).
CREATE TABLE sync_cursor (
    id            INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    updated_since TEXT    NULL,
    updated_at    TEXT    NULL
);
INSERT INTO sync_cursor (id, updated_since, updated_at) VALUES (1, NULL, NULL);
