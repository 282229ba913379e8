-- Replies from the external tools (in) and the collège's added information (out).
CREATE TABLE ticket_messages (
    seq               BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL CONSTRAINT pk_ticket_messages PRIMARY KEY,
    ticket_id         UUID NOT NULL CONSTRAINT fk_ticket_messages_ticket REFERENCES tickets (id),
    direction         VARCHAR(3)      NOT NULL,
    author_role       VARCHAR(20)     NOT NULL,
    author_name       VARCHAR(200)    NULL,
    text              TEXT    NOT NULL,
    at                TIMESTAMPTZ   NOT NULL,
    tool              VARCHAR(20)     NULL,
    comment_id        UUID NULL
);
CREATE INDEX ix_ticket_messages_ticket ON ticket_messages (ticket_id, at);

-- Every change seen in an external tool, by its stable id: the same change seen twice is applied once.
CREATE TABLE external_events (
    ticket_id  UUID NOT NULL CONSTRAINT fk_external_events_ticket REFERENCES tickets (id),
    event_id   VARCHAR(200)    NOT NULL,
    applied_at TIMESTAMPTZ   NOT NULL,
    CONSTRAINT pk_external_events PRIMARY KEY (ticket_id, event_id)
);

-- The external tool's time of the last status applied: an older update never overwrites a newer one.
ALTER TABLE tickets ADD COLUMN external_updated_at TIMESTAMPTZ NULL;
