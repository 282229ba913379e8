-- The collèges' tickets still being worked on, for the similar tickets shown on the form (issue 16):
-- a read model kept from the bus. A row is written when the ticket is routed (its text analysed once:
-- `terms`, the French analysis's terms separated by spaces) and follows intake's TicketStatusChanged
-- (a change applies only above the version held); a closed ticket's row is removed.
CREATE TABLE open_tickets (
    ticket_id    TEXT    NOT NULL PRIMARY KEY,
    reference    TEXT    NOT NULL,
    college_uai  TEXT    NOT NULL,
    category     TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    location     TEXT    NULL,
    terms        TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    route_target TEXT    NULL,
    tool         TEXT    NULL,
    version      INTEGER NOT NULL,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
CREATE INDEX ix_open_tickets_college ON open_tickets (college_uai, created_at);
