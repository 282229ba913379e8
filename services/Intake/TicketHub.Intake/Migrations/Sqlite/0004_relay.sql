-- What a person must copy by hand into a tool without an API (PASS, Omère in manual delivery mode).
CREATE TABLE relay_items (
    item_id                  TEXT NOT NULL PRIMARY KEY,
    ticket_id                TEXT NOT NULL REFERENCES tickets (id),
    reference                TEXT NOT NULL,
    tool                     TEXT NOT NULL,
    kind                     TEXT NOT NULL,
    queue                    TEXT NULL,
    subject                  TEXT NOT NULL,
    body                     TEXT NOT NULL,
    -- For a comment: the tool's number of the ticket it belongs to.
    external_id              TEXT NULL,
    requested_at             TEXT NOT NULL,
    -- pending | acknowledged
    state                    TEXT NOT NULL,
    acknowledged_external_id TEXT NULL,
    acknowledged_by          TEXT NULL,
    acknowledged_at          TEXT NULL
);
CREATE INDEX ix_relay_items_tool_state ON relay_items (tool, state, requested_at, item_id);
CREATE INDEX ix_relay_items_tool_queue_state ON relay_items (tool, queue, state, requested_at, item_id);
CREATE INDEX ix_relay_items_ticket ON relay_items (ticket_id);

-- Who reported a change made in a tool the hub cannot read (email and manual modes), and what.
CREATE TABLE operator_reports (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id   TEXT NOT NULL REFERENCES tickets (id),
    event_id    TEXT NOT NULL,
    reported_by TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    tool        TEXT NOT NULL,
    status      TEXT NULL,
    reply       TEXT NULL,
    author_name TEXT NULL
);
CREATE INDEX ix_operator_reports_ticket ON operator_reports (ticket_id, seq);
