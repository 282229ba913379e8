CREATE TABLE ticket_reroutes (
    seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id           TEXT NOT NULL REFERENCES tickets (id),
    requested_by        TEXT NOT NULL,
    reason              TEXT NOT NULL,
    at                  TEXT NOT NULL,
    old_status          TEXT NOT NULL,
    old_target          TEXT NULL,
    old_tool            TEXT NULL,
    old_queue           TEXT NULL,
    old_rule            TEXT NULL,
    old_external_tool   TEXT NULL,
    old_external_id     TEXT NULL,
    new_target          TEXT NOT NULL,
    new_tool            TEXT NULL,
    new_queue           TEXT NULL
);
CREATE INDEX ix_ticket_reroutes_ticket ON ticket_reroutes (ticket_id, seq);
CREATE INDEX ix_tickets_status_created ON tickets (status, created_at);
