-- One row per file of a hub ticket the connector has added, or tried to add, to its tool as a
-- document (see DocumentLedger, ADR 11): a file is added once, even when the message comes again.
CREATE TABLE sent_documents (
    attachment_id        UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_sent_documents PRIMARY KEY,
    ticket_id            UNIQUEIDENTIFIER NOT NULL,
    file_name            NVARCHAR(255)    NOT NULL,
    state                VARCHAR(10)      NOT NULL CONSTRAINT ck_sent_documents_state CHECK (state IN ('pending', 'posting', 'sent', 'refused', 'missing')),
    external_document_id NVARCHAR(50)     NULL,
    attempts             INT              NOT NULL CONSTRAINT df_sent_documents_attempts DEFAULT 0,
    last_error           NVARCHAR(2000)   NULL,
    created_at           DATETIMEOFFSET   NOT NULL,
    sent_at              DATETIMEOFFSET   NULL
);
CREATE INDEX ix_sent_documents_ticket ON sent_documents (ticket_id);
