CREATE TABLE ticket_reroutes (
    seq                 BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT pk_ticket_reroutes PRIMARY KEY,
    ticket_id           UNIQUEIDENTIFIER NOT NULL CONSTRAINT fk_ticket_reroutes_ticket REFERENCES tickets (id),
    requested_by        NVARCHAR(200)  NOT NULL,
    reason              NVARCHAR(1000) NOT NULL,
    at                  DATETIMEOFFSET NOT NULL,
    old_status          NVARCHAR(20)   NOT NULL,
    old_target          NVARCHAR(30)   NULL,
    old_tool            NVARCHAR(20)   NULL,
    old_queue           NVARCHAR(100)  NULL,
    old_rule            NVARCHAR(20)   NULL,
    old_external_tool   NVARCHAR(20)   NULL,
    old_external_id     NVARCHAR(100)  NULL,
    new_target          NVARCHAR(30)   NOT NULL,
    new_tool            NVARCHAR(20)   NULL,
    new_queue           NVARCHAR(100)  NULL
);
CREATE INDEX ix_ticket_reroutes_ticket ON ticket_reroutes (ticket_id, seq);
CREATE INDEX ix_tickets_status_created ON tickets (status, created_at);
