CREATE TABLE outbox_messages (
    seq          BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT pk_outbox_messages PRIMARY KEY,
    message_id   UNIQUEIDENTIFIER NOT NULL CONSTRAINT uq_outbox_messages_message_id UNIQUE,
    message_type NVARCHAR(300)    NOT NULL,
    body         NVARCHAR(MAX)    NOT NULL,
    trace_parent VARCHAR(64)      NULL,
    created_at   DATETIMEOFFSET   NOT NULL,
    sent_at      DATETIMEOFFSET   NULL,
    attempts     INT              NOT NULL CONSTRAINT df_outbox_messages_attempts DEFAULT 0,
    last_error   NVARCHAR(2000)   NULL
);
CREATE INDEX ix_outbox_messages_unsent ON outbox_messages (sent_at, seq);

CREATE TABLE inbox_messages (
    message_id   UNIQUEIDENTIFIER NOT NULL,
    consumer     NVARCHAR(200)    NOT NULL,
    processed_at DATETIMEOFFSET   NOT NULL,
    CONSTRAINT pk_inbox_messages PRIMARY KEY (message_id, consumer)
);
CREATE INDEX ix_inbox_messages_processed_at ON inbox_messages (processed_at);
