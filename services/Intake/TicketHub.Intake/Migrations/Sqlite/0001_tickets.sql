CREATE TABLE tickets (
    id                     TEXT    NOT NULL PRIMARY KEY,
    reference              TEXT    NOT NULL UNIQUE,
    college_uai            TEXT    NOT NULL,
    requester_name         TEXT    NOT NULL,
    requester_email        TEXT    NOT NULL,
    requester_phone        TEXT    NULL,
    zone                   TEXT    NULL,
    category               TEXT    NOT NULL,
    type                   TEXT    NOT NULL,
    building_impact        INTEGER NOT NULL,
    title                  TEXT    NOT NULL,
    description            TEXT    NOT NULL,
    urgency                TEXT    NOT NULL,
    location               TEXT    NULL,
    equipment              TEXT    NULL,
    status                 TEXT    NOT NULL,
    route_target           TEXT    NULL,
    route_tool             TEXT    NULL,
    route_queue            TEXT    NULL,
    route_rule             TEXT    NULL,
    route_rule_set_version TEXT    NULL,
    route_explanation      TEXT    NULL,
    flags                  TEXT    NULL,
    external_tool          TEXT    NULL,
    external_id            TEXT    NULL,
    external_url           TEXT    NULL,
    failure_reason         TEXT    NULL,
    idempotency_key        TEXT    NULL,
    request_hash           TEXT    NULL,
    created_at             TEXT    NOT NULL,
    updated_at             TEXT    NOT NULL
);
CREATE UNIQUE INDEX ux_tickets_idempotency_key ON tickets (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX ix_tickets_college_status ON tickets (college_uai, status);

CREATE TABLE ticket_history (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id TEXT NOT NULL REFERENCES tickets (id),
    status    TEXT NOT NULL,
    at        TEXT NOT NULL,
    note      TEXT NULL
);
CREATE INDEX ix_ticket_history_ticket ON ticket_history (ticket_id, seq);

CREATE TABLE reference_counters (
    year       INTEGER NOT NULL PRIMARY KEY,
    last_value INTEGER NOT NULL
);
