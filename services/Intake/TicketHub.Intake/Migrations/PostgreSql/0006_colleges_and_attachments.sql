-- The collège's name and UT as the registry gave them when the ticket was routed (TicketRouted).
ALTER TABLE tickets ADD COLUMN college_name VARCHAR(200) NULL, ADD COLUMN college_ut VARCHAR(50) NULL;

-- The ticket list: newest first, for everyone, for one collège, for one target.
CREATE INDEX ix_tickets_created ON tickets (created_at, id);
CREATE INDEX ix_tickets_college_created ON tickets (college_uai, created_at, id);
CREATE INDEX ix_tickets_target_created ON tickets (route_target, created_at, id);

-- Files sent with a ticket, kept in the database with it (one transaction, one backup).
CREATE TABLE ticket_attachments (
    id           UUID NOT NULL CONSTRAINT pk_ticket_attachments PRIMARY KEY,
    ticket_id    UUID NOT NULL CONSTRAINT fk_ticket_attachments_ticket REFERENCES tickets (id),
    position     BIGINT              NOT NULL,
    file_name    VARCHAR(200)    NOT NULL,
    -- Recognised from the content, never from the name or the type the client declared.
    content_type VARCHAR(100)    NOT NULL,
    size         BIGINT           NOT NULL,
    sha256       CHAR(64)         NOT NULL,
    content      BYTEA   NOT NULL,
    created_at   TIMESTAMPTZ   NOT NULL
);
CREATE INDEX ix_ticket_attachments_ticket ON ticket_attachments (ticket_id, position);
