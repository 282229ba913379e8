-- One row per hub ticket the connector has tried to create in GLPI (see ExternalTicketStore).
CREATE TABLE external_tickets (
    ticket_id   UUID NOT NULL CONSTRAINT pk_external_tickets PRIMARY KEY,
    reference   VARCHAR(100)    NOT NULL,
    external_id VARCHAR(50)     NULL,
    state       VARCHAR(10)      NOT NULL CONSTRAINT ck_external_tickets_state CHECK (state IN ('creating', 'created', 'failed')),
    attempts    BIGINT              NOT NULL DEFAULT 0,
    last_error  VARCHAR(2000)   NULL,
    created_at  TIMESTAMPTZ   NOT NULL,
    updated_at  TIMESTAMPTZ   NOT NULL
);
CREATE INDEX ix_external_tickets_reference ON external_tickets (reference);
