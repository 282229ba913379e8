-- One row per hub ticket the connector has tried to create in GLPI (see ExternalTicketStore).
CREATE TABLE external_tickets (
    ticket_id   UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_external_tickets PRIMARY KEY,
    reference   NVARCHAR(100)    NOT NULL,
    external_id NVARCHAR(50)     NULL,
    state       VARCHAR(10)      NOT NULL CONSTRAINT ck_external_tickets_state CHECK (state IN ('creating', 'created', 'failed')),
    attempts    INT              NOT NULL CONSTRAINT df_external_tickets_attempts DEFAULT 0,
    last_error  NVARCHAR(2000)   NULL,
    created_at  DATETIMEOFFSET   NOT NULL,
    updated_at  DATETIMEOFFSET   NOT NULL
);
CREATE INDEX ix_external_tickets_reference ON external_tickets (reference);
