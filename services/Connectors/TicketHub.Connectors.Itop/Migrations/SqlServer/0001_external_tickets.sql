-- One row per hub ticket the connector has tried to create in iTop (see ExternalTicketStore), with
-- what the status and reply sync last saw of it (see SyncStore).
CREATE TABLE external_tickets (
    ticket_id        UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_external_tickets PRIMARY KEY,
    reference        NVARCHAR(100)    NOT NULL,
    itop_id          INT              NULL,
    state            VARCHAR(10)      NOT NULL CONSTRAINT ck_external_tickets_state CHECK (state IN ('creating', 'created', 'failed')),
    attempts         INT              NOT NULL CONSTRAINT df_external_tickets_attempts DEFAULT 0,
    last_error       NVARCHAR(2000)   NULL,
    moved_at         DATETIMEOFFSET   NULL,
    itop_status      NVARCHAR(50)     NULL,
    itop_last_update VARCHAR(19)      NULL,
    log_entries      INT              NOT NULL CONSTRAINT df_external_tickets_log_entries DEFAULT 0,
    closed_at        DATETIMEOFFSET   NULL,
    created_at       DATETIMEOFFSET   NOT NULL,
    updated_at       DATETIMEOFFSET   NOT NULL
);
CREATE INDEX ix_external_tickets_reference ON external_tickets (reference);
CREATE INDEX ix_external_tickets_itop_id ON external_tickets (itop_id);

-- Public log entries the hub wrote itself (the collège's comments, re-route notes): never sent
-- back to the hub as replies.
CREATE TABLE hub_log_entries (
    ticket_id   UNIQUEIDENTIFIER NOT NULL,
    entry_index INT              NOT NULL,
    user_id     NVARCHAR(50)     NULL,
    written_at  DATETIMEOFFSET   NOT NULL,
    CONSTRAINT pk_hub_log_entries PRIMARY KEY (ticket_id, entry_index)
);

-- How far the sync has read iTop's changes: the latest last_update it processed, as an instant.
CREATE TABLE sync_cursor (
    id          INT            NOT NULL CONSTRAINT pk_sync_cursor PRIMARY KEY CONSTRAINT ck_sync_cursor_single CHECK (id = 1),
    last_update DATETIMEOFFSET NULL,
    updated_at  DATETIMEOFFSET NULL
);
INSERT INTO sync_cursor (id, last_update, updated_at) VALUES (1, NULL, NULL);
