-- One row per file of a hub ticket the connector has added, or tried to add, to its tool as a
-- document (see DocumentLedger, ADR 11): a file is added once, even when the message comes again.
CREATE TABLE sent_documents (
    attachment_id        UUID NOT NULL CONSTRAINT pk_sent_documents PRIMARY KEY,
    ticket_id            UUID NOT NULL,
    file_name            VARCHAR(255)    NOT NULL,
    state                VARCHAR(10)      NOT NULL CONSTRAINT ck_sent_documents_state CHECK (state IN ('pending', 'posting', 'sent', 'refused', 'missing')),
    external_document_id VARCHAR(50)     NULL,
    attempts             BIGINT              NOT NULL DEFAULT 0,
    last_error           VARCHAR(2000)   NULL,
    created_at           TIMESTAMPTZ   NOT NULL,
    sent_at              TIMESTAMPTZ   NULL
);
CREATE INDEX ix_sent_documents_ticket ON sent_documents (ticket_id);
