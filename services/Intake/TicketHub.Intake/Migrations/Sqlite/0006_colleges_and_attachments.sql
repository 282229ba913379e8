-- The collège's name and UT as the registry gave them when the ticket was routed (TicketRouted).
ALTER TABLE tickets ADD college_name TEXT NULL;
ALTER TABLE tickets ADD college_ut TEXT NULL;

-- The ticket list: newest first, for everyone, for one collège, for one target.
CREATE INDEX ix_tickets_created ON tickets (created_at, id);
CREATE INDEX ix_tickets_college_created ON tickets (college_uai, created_at, id);
CREATE INDEX ix_tickets_target_created ON tickets (route_target, created_at, id);

-- Files sent with a ticket, kept in the database with it (one transaction, one backup).
CREATE TABLE ticket_attachments (
    id           TEXT    NOT NULL PRIMARY KEY,
    ticket_id    TEXT    NOT NULL REFERENCES tickets (id),
    position     INTEGER NOT NULL,
    file_name    TEXT    NOT NULL,
    -- Recognised from the content, never from the name or the type the client declared.
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    content      BLOB    NOT NULL,
    created_at   TEXT    NOT NULL
);
CREATE INDEX ix_ticket_attachments_ticket ON ticket_attachments (ticket_id, position);
