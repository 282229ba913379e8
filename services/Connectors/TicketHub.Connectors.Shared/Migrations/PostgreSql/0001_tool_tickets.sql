-- One row per hub ticket the connector has delivered or tried to deliver to its tool (see
-- ExternalTicketStore), with what the http mode's sync last saw of it.
CREATE TABLE external_tickets (
    ticket_id       UUID NOT NULL CONSTRAINT pk_external_tickets PRIMARY KEY,
    reference       VARCHAR(100)    NOT NULL,
    external_id     VARCHAR(200)    NULL,
    external_url    VARCHAR(1000)   NULL,
    state           VARCHAR(10)      NOT NULL CONSTRAINT ck_external_tickets_state CHECK (state IN ('creating', 'relaying', 'created', 'failed')),
    attempts        BIGINT              NOT NULL DEFAULT 0,
    last_error      VARCHAR(2000)   NULL,
    moved_at        TIMESTAMPTZ   NULL,
    tool_status     VARCHAR(50)     NULL,
    tool_updated_at TIMESTAMPTZ   NULL,
    created_at      TIMESTAMPTZ   NOT NULL,
    updated_at      TIMESTAMPTZ   NOT NULL
);
CREATE INDEX ix_external_tickets_reference ON external_tickets (reference);
CREATE INDEX ix_external_tickets_external_id ON external_tickets (external_id);

-- Messages of the tool's tickets the hub already reported, or wrote itself: never reported (again).
CREATE TABLE known_messages (
    ticket_id  UUID NOT NULL,
    message_id VARCHAR(200)    NOT NULL,
    origin     VARCHAR(4)       NOT NULL CONSTRAINT ck_known_messages_origin CHECK (origin IN ('tool', 'hub')),
    seen_at    TIMESTAMPTZ   NOT NULL,
    CONSTRAINT pk_known_messages PRIMARY KEY (ticket_id, message_id)
);

-- Where the next read of changed tickets starts (an instant, by the tool's clock).
CREATE TABLE sync_cursor (
    id            BIGINT            NOT NULL CONSTRAINT pk_sync_cursor PRIMARY KEY CONSTRAINT ck_sync_cursor_single CHECK (id = 1),
    updated_since TIMESTAMPTZ NULL,
    updated_at    TIMESTAMPTZ NULL
);
INSERT INTO sync_cursor (id, updated_since, updated_at) VALUES (1, NULL, NULL);
