-- Files of a ticket that never reached its tool (TicketAttachmentNotDelivered): refused for good by
-- GLPI or iTop, or missing. One row per file and tool, shown in the ticket's timeline so that the
-- collège sends the file another way.
CREATE TABLE undelivered_attachments (
    -- The file's id; a file intake no longer has is reported too: no foreign key.
    attachment_id TEXT NOT NULL,
    tool          TEXT NOT NULL,
    ticket_id     TEXT NOT NULL REFERENCES tickets (id),
    file_name     TEXT NOT NULL,
    -- In French, written by the connector: « fichier trop volumineux pour GLPI (3,1 Mo) ».
    reason        TEXT NOT NULL,
    at            TEXT NOT NULL,
    PRIMARY KEY (attachment_id, tool)
);
CREATE INDEX ix_undelivered_attachments_ticket ON undelivered_attachments (ticket_id, at);
