-- The collèges' tickets still being worked on, for the similar tickets shown on the form (issue 16):
-- a read model kept from the bus. A row is written when the ticket is routed (its text analysed once:
-- `terms`, the French analysis's terms separated by spaces) and follows intake's TicketStatusChanged
-- (a change applies only above the version held); a closed ticket's row is removed.
CREATE TABLE open_tickets (
    ticket_id    UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_open_tickets PRIMARY KEY,
    reference    NVARCHAR(50)     NOT NULL,
    college_uai  NVARCHAR(8)      NOT NULL,
    category     NVARCHAR(50)     NOT NULL,
    title        NVARCHAR(200)    NOT NULL,
    location     NVARCHAR(200)    NULL,
    terms        NVARCHAR(MAX)    NOT NULL,
    status       NVARCHAR(20)     NOT NULL,
    route_target NVARCHAR(20)     NULL,
    tool         NVARCHAR(10)     NULL,
    version      BIGINT           NOT NULL,
    created_at   DATETIMEOFFSET   NOT NULL,
    updated_at   DATETIMEOFFSET   NOT NULL
);
CREATE INDEX ix_open_tickets_college ON open_tickets (college_uai, created_at);
