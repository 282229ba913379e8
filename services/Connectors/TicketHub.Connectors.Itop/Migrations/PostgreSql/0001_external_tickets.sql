-- One row per hub ticket the connector has tried to create in iTop (see ExternalTicketStore), with
-- what the status and reply sync last saw of it (see SyncStore).
CREATE TABLE external_tickets (
    ticket_id        UUID NOT NULL CONSTRAINT pk_external_tickets PRIMARY KEY,
    reference        VARCHAR(100)    NOT NULL,
    itop_id          BIGINT              NULL,
    state            VARCHAR(10)      NOT NULL CONSTRAINT ck_external_tickets_state CHECK (state IN ('creating', 'created', 'failed')),
    attempts         BIGINT              NOT NULL DEFAULT 0,
    last_error       VARCHAR(2000)   NULL,
    moved_at         TIMESTAMPTZ   NULL,
    itop_status      VARCHAR(50)     NULL,
    itop_last_update VARCHAR(19)      NULL,
    log_entries      BIGINT              NOT NULL DEFAULT 0,
    closed_at        TIMESTAMPTZ   NULL,
    created_at       TIMESTAMPTZ   NOT NULL,
    updated_at       TIMESTAMPTZ   NOT NULL
);
CREATE INDEX ix_external_tickets_reference ON external_tickets (reference);
CREATE INDEX ix_external_tickets_itop_id ON external_tickets (itop_id);

-- Public log entries the hub wrote itself (the collège's comments, re-route notes): never sent
-- back to the hub as replies.
CREATE TABLE hub_log_entries (
    ticket_id   UUID NOT NULL,
    entry_index BIGINT              NOT NULL,
    user_id     VARCHAR(50)     NULL,
    written_at  TIMESTAMPTZ   NOT NULL,
    CONSTRAINT pk_hub_log_entries PRIMARY KEY (ticket_id, entry_index)
);

-- How far the sync has read iTop's changes: the latest last_update it processed, as an instant.
CREATE TABLE sync_cursor (
    id          BIGINT            NOT NULL CONSTRAINT pk_sync_cursor PRIMARY KEY CONSTRAINT ck_sync_cursor_single CHECK (id = 1),
    last_update TIMESTAMPTZ NULL,
    updated_at  TIMESTAMPTZ NULL
);
INSERT INTO sync_cursor (id, last_update, updated_at) VALUES (1, NULL, NULL);
