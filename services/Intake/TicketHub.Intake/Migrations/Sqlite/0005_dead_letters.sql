-- Dead letters the services reported (MessageDeadLettered): the list administrators act on. The
-- messages themselves stay in the owning service's own dead_letters table (ServiceDefaults), which
-- intake has too for its own consumers: hence another name here.
CREATE TABLE reported_dead_letters (
    -- The dead letter's id in the owning service's database.
    id              TEXT    NOT NULL PRIMARY KEY,
    service         TEXT    NOT NULL,
    queue           TEXT    NOT NULL,
    message_id      TEXT    NOT NULL,
    message_type    TEXT    NOT NULL,
    -- The ticket the message names, known to intake or not: no foreign key.
    ticket_id       TEXT    NULL,
    reference       TEXT    NULL,
    reason          TEXT    NOT NULL,
    attempts        INTEGER NOT NULL,
    first_failed_at TEXT    NOT NULL,
    last_failed_at  TEXT    NOT NULL,
    reported_at     TEXT    NOT NULL,
    -- open | replayed | discarded
    state           TEXT    NOT NULL,
    -- Who replayed or discarded it, when, and (discarded) why.
    resolved_by     TEXT    NULL,
    resolved_at     TEXT    NULL,
    discard_reason  TEXT    NULL
);
CREATE INDEX ix_reported_dead_letters_state ON reported_dead_letters (state, last_failed_at, id);
CREATE INDEX ix_reported_dead_letters_service_state ON reported_dead_letters (service, state, last_failed_at, id);
CREATE INDEX ix_reported_dead_letters_ticket ON reported_dead_letters (ticket_id);

-- Every action an administrator took on a dead letter: replay, replay-all, discard.
CREATE TABLE dead_letter_actions (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    dead_letter_id TEXT NOT NULL REFERENCES reported_dead_letters (id),
    action         TEXT NOT NULL,
    acted_by       TEXT NOT NULL,
    acted_at       TEXT NOT NULL,
    reason         TEXT NULL
);
CREATE INDEX ix_dead_letter_actions_dead_letter ON dead_letter_actions (dead_letter_id, seq);
