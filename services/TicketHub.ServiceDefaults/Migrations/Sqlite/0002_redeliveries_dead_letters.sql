-- Messages a consumer failed on, to be sent back to its queue later (delayed redelivery), or at
-- once after a dead letter is replayed. See Messaging/RedeliveryFilter.cs.
CREATE TABLE scheduled_redeliveries (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id      TEXT    NOT NULL,
    message_type    TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    queue           TEXT    NOT NULL,
    redelivery      INTEGER NOT NULL,
    first_failed_at TEXT    NOT NULL,
    trace_parent    TEXT    NULL,
    due_at          TEXT    NOT NULL,
    sent_at         TEXT    NULL
);
CREATE INDEX ix_scheduled_redeliveries_due ON scheduled_redeliveries (sent_at, due_at);

-- Messages a consumer gave up on: retries and redeliveries spent. Kept whole, to be replayed.
CREATE TABLE dead_letters (
    id              TEXT    NOT NULL PRIMARY KEY,
    message_id      TEXT    NOT NULL,
    message_type    TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    queue           TEXT    NOT NULL,
    ticket_id       TEXT    NULL,
    reference       TEXT    NULL,
    reason          TEXT    NOT NULL,
    attempts        INTEGER NOT NULL,
    first_failed_at TEXT    NOT NULL,
    last_failed_at  TEXT    NOT NULL,
    replayed_at     TEXT    NULL
);
CREATE INDEX ix_dead_letters_message ON dead_letters (message_id);
