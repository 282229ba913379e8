-- Messages a consumer failed on, to be sent back to its queue later (delayed redelivery), or at
-- once after a dead letter is replayed. See Messaging/RedeliveryFilter.cs.
CREATE TABLE scheduled_redeliveries (
    seq             BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT pk_scheduled_redeliveries PRIMARY KEY,
    message_id      UNIQUEIDENTIFIER NOT NULL,
    message_type    NVARCHAR(300)    NOT NULL,
    body            NVARCHAR(MAX)    NOT NULL,
    queue           NVARCHAR(300)    NOT NULL,
    redelivery      INT              NOT NULL,
    first_failed_at DATETIMEOFFSET   NOT NULL,
    trace_parent    VARCHAR(64)      NULL,
    due_at          DATETIMEOFFSET   NOT NULL,
    sent_at         DATETIMEOFFSET   NULL
);
CREATE INDEX ix_scheduled_redeliveries_due ON scheduled_redeliveries (sent_at, due_at);

-- Messages a consumer gave up on: retries and redeliveries spent. Kept whole, to be replayed.
CREATE TABLE dead_letters (
    id              UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_dead_letters PRIMARY KEY,
    message_id      UNIQUEIDENTIFIER NOT NULL,
    message_type    NVARCHAR(300)    NOT NULL,
    body            NVARCHAR(MAX)    NOT NULL,
    queue           NVARCHAR(300)    NOT NULL,
    ticket_id       UNIQUEIDENTIFIER NULL,
    reference       NVARCHAR(100)    NULL,
    reason          NVARCHAR(2000)   NOT NULL,
    attempts        INT              NOT NULL,
    first_failed_at DATETIMEOFFSET   NOT NULL,
    last_failed_at  DATETIMEOFFSET   NOT NULL,
    replayed_at     DATETIMEOFFSET   NULL
);
CREATE INDEX ix_dead_letters_message ON dead_letters (message_id);
