-- The collèges' tickets still being worked on, for the similar tickets shown on the form (issue 16):
-- a read model kept from the bus. A row is written when the ticket is routed (its text analysed once:
-- `terms`, the French analysis's terms separated by spaces) and follows intake's TicketStatusChanged
-- (a change applies only above the version held); a closed ticket's row is removed.
CREATE TABLE open_tickets (
    ticket_id    UUID          NOT NULL CONSTRAINT pk_open_tickets PRIMARY KEY,
    reference    VARCHAR(50)   NOT NULL,
    college_uai  VARCHAR(8)    NOT NULL,
    category     VARCHAR(50)   NOT NULL,
    title        VARCHAR(200)  NOT NULL,
    location     VARCHAR(200)  NULL,
    terms        TEXT          NOT NULL,
    status       VARCHAR(20)   NOT NULL,
    route_target VARCHAR(20)   NULL,
    tool         VARCHAR(10)   NULL,
    version      BIGINT        NOT NULL,
    created_at   TIMESTAMPTZ   NOT NULL,
    updated_at   TIMESTAMPTZ   NOT NULL
);
CREATE INDEX ix_open_tickets_college ON open_tickets (college_uai, created_at);
