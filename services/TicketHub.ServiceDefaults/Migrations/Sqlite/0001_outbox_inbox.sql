CREATE TABLE outbox_messages (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id   TEXT    NOT NULL UNIQUE,
    message_type TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    trace_parent TEXT    NULL,
    created_at   TEXT    NOT NULL,
    sent_at      TEXT    NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT    NULL
);
CREATE INDEX ix_outbox_messages_unsent ON outbox_messages (sent_at, seq);

CREATE TABLE inbox_messages (
    message_id   TEXT NOT NULL,
    consumer     TEXT NOT NULL,
    processed_at TEXT NOT NULL,
    PRIMARY KEY (message_id, consumer)
);
CREATE INDEX ix_inbox_messages_processed_at ON inbox_messages (processed_at);
