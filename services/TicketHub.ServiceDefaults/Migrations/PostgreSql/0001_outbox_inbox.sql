CREATE TABLE outbox_messages (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL CONSTRAINT pk_outbox_messages PRIMARY KEY,
    message_id   UUID NOT NULL CONSTRAINT uq_outbox_messages_message_id UNIQUE,
    message_type VARCHAR(300)    NOT NULL,
    body         TEXT    NOT NULL,
    trace_parent VARCHAR(64)      NULL,
    created_at   TIMESTAMPTZ   NOT NULL,
    sent_at      TIMESTAMPTZ   NULL,
    attempts     BIGINT              NOT NULL DEFAULT 0,
    last_error   VARCHAR(2000)   NULL
);
CREATE INDEX ix_outbox_messages_unsent ON outbox_messages (sent_at, seq);

CREATE TABLE inbox_messages (
    message_id   UUID NOT NULL,
    consumer     VARCHAR(200)    NOT NULL,
    processed_at TIMESTAMPTZ   NOT NULL,
    CONSTRAINT pk_inbox_messages PRIMARY KEY (message_id, consumer)
);
CREATE INDEX ix_inbox_messages_processed_at ON inbox_messages (processed_at);
