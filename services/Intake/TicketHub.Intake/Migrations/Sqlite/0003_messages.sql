-- Replies from the external tools (in) and the collège's added information (out).
CREATE TABLE ticket_messages (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id         TEXT NOT NULL REFERENCES tickets (id),
    direction         TEXT NOT NULL,
    author_role       TEXT NOT NULL,
    author_name       TEXT NULL,
    text              TEXT NOT NULL,
    at                TEXT NOT NULL,
    tool              TEXT NULL,
    comment_id        TEXT NULL
);
CREATE INDEX ix_ticket_messages_ticket ON ticket_messages (ticket_id, at);

-- Every change seen in an external tool, by its stable id: the same change seen twice is applied once.
CREATE TABLE external_events (
    ticket_id  TEXT NOT NULL REFERENCES tickets (id),
    event_id   TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    PRIMARY KEY (ticket_id, event_id)
);

-- The external tool's time of the last status applied: an older update never overwrites a newer one.
ALTER TABLE tickets ADD external_updated_at TEXT NULL;
