-- Messages a consumer failed on, to be sent back to its queue later (delayed redelivery), or at
-- once after a dead letter is replayed. See Messaging/RedeliveryFilter.cs.
CREATE TABLE scheduled_redeliveries (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL CONSTRAINT pk_scheduled_redeliveries PRIMARY KEY,
    message_id      UUID NOT NULL,
    message_type    VARCHAR(300)    NOT NULL,
    body            TEXT    NOT NULL,
    queue           VARCHAR(300)    NOT NULL,
    redelivery      BIGINT              NOT NULL,
    first_failed_at TIMESTAMPTZ   NOT NULL,
    trace_parent    VARCHAR(64)      NULL,
    due_at          TIMESTAMPTZ   NOT NULL,
    sent_at         TIMESTAMPTZ   NULL
);
CREATE INDEX ix_scheduled_redeliveries_due ON scheduled_redeliveries (sent_at, due_at);

-- Messages a consumer gave up on: retries and redeliveries spent. Kept whole, to be replayed.
CREATE TABLE dead_letters (
    id              UUID NOT NULL CONSTRAINT pk_dead_letters PRIMARY KEY,
    message_id      UUID NOT NULL,
    message_type    VARCHAR(300)    NOT NULL,
    body            TEXT    NOT NULL,
    queue           VARCHAR(300)    NOT NULL,
    ticket_id       UUID NULL,
    reference       VARCHAR(100)    NULL,
    reason          VARCHAR(2000)   NOT NULL,
    attempts        BIGINT              NOT NULL,
    first_failed_at TIMESTAMPTZ   NOT NULL,
    last_failed_at  TIMESTAMPTZ   NOT NULL,
    replayed_at     TIMESTAMPTZ   NULL
);
CREATE INDEX ix_dead_letters_message ON dead_letters (message_id);
