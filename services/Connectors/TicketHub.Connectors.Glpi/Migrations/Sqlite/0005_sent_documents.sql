-- One row per file of a hub ticket the connector has added, or tried to add, to its tool as a
-- document (see DocumentLedger, ADR 11): a file is added once, even when the message comes again.
CREATE TABLE sent_documents (
    attachment_id        TEXT    NOT NULL PRIMARY KEY,
    ticket_id            TEXT    NOT NULL,
    file_name            TEXT    NOT NULL,
    state                TEXT    NOT NULL CHECK (state IN ('pending', 'posting', 'sent', 'refused', 'missing')),
    external_document_id TEXT    NULL,
    attempts             INTEGER NOT NULL DEFAULT 0,
    last_error           TEXT    NULL,
    created_at           TEXT    NOT NULL,
    sent_at              TEXT    NULL
);
CREATE INDEX ix_sent_documents_ticket ON sent_documents (ticket_id);
