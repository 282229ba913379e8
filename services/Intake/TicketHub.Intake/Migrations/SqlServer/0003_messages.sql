-- Replies from the external tools (in) and the collège's added information (out).
CREATE TABLE ticket_messages (
    seq               BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT pk_ticket_messages PRIMARY KEY,
    ticket_id         UNIQUEIDENTIFIER NOT NULL CONSTRAINT fk_ticket_messages_ticket REFERENCES tickets (id),
    direction         NVARCHAR(3)      NOT NULL,
    author_role       NVARCHAR(20)     NOT NULL,
    author_name       NVARCHAR(200)    NULL,
    text              NVARCHAR(MAX)    NOT NULL,
    at                DATETIMEOFFSET   NOT NULL,
    tool              NVARCHAR(20)     NULL,
    comment_id        UNIQUEIDENTIFIER NULL
);
CREATE INDEX ix_ticket_messages_ticket ON ticket_messages (ticket_id, at);

-- Every change seen in an external tool, by its stable id: the same change seen twice is applied once.
CREATE TABLE external_events (
    ticket_id  UNIQUEIDENTIFIER NOT NULL CONSTRAINT fk_external_events_ticket REFERENCES tickets (id),
    event_id   NVARCHAR(200)    NOT NULL,
    applied_at DATETIMEOFFSET   NOT NULL,
    CONSTRAINT pk_external_events PRIMARY KEY (ticket_id, event_id)
);

-- The external tool's time of the last status applied: an older update never overwrites a newer one.
ALTER TABLE tickets ADD external_updated_at DATETIMEOFFSET NULL;
