-- One row per hub ticket the connector has tried to create in GLPI (see ExternalTicketStore).
CREATE TABLE external_tickets (
    ticket_id   TEXT    NOT NULL PRIMARY KEY,
    reference   TEXT    NOT NULL,
    external_id TEXT    NULL,
    state       TEXT    NOT NULL CHECK (state IN ('creating', 'created', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT    NULL,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
CREATE INDEX ix_external_tickets_reference ON external_tickets (reference);
