-- Files of a ticket that never reached its tool (TicketAttachmentNotDelivered): refused for good by
-- GLPI or iTop, or missing. One row per file and tool, shown in the ticket's timeline so that the
-- collège sends the file another way.
CREATE TABLE undelivered_attachments (
    -- The file's id; a file intake no longer has is reported too: no foreign key.
    attachment_id UUID NOT NULL,
    tool          VARCHAR(20)     NOT NULL,
    ticket_id     UUID NOT NULL CONSTRAINT fk_undelivered_attachments_ticket REFERENCES tickets (id),
    file_name     VARCHAR(255)    NOT NULL,
    -- In French, written by the connector: « fichier trop volumineux pour GLPI (3,1 Mo) ».
    reason        VARCHAR(500)    NOT NULL,
    at            TIMESTAMPTZ   NOT NULL,
    CONSTRAINT pk_undelivered_attachments PRIMARY KEY (attachment_id, tool)
);
CREATE INDEX ix_undelivered_attachments_ticket ON undelivered_attachments (ticket_id, at);
