CREATE TABLE ticket_reroutes (
    seq                 BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL CONSTRAINT pk_ticket_reroutes PRIMARY KEY,
    ticket_id           UUID NOT NULL CONSTRAINT fk_ticket_reroutes_ticket REFERENCES tickets (id),
    requested_by        VARCHAR(200)  NOT NULL,
    reason              VARCHAR(1000) NOT NULL,
    at                  TIMESTAMPTZ NOT NULL,
    old_status          VARCHAR(20)   NOT NULL,
    old_target          VARCHAR(30)   NULL,
    old_tool            VARCHAR(20)   NULL,
    old_queue           VARCHAR(100)  NULL,
    old_rule            VARCHAR(20)   NULL,
    old_external_tool   VARCHAR(20)   NULL,
    old_external_id     VARCHAR(100)  NULL,
    new_target          VARCHAR(30)   NOT NULL,
    new_tool            VARCHAR(20)   NULL,
    new_queue           VARCHAR(100)  NULL
);
CREATE INDEX ix_ticket_reroutes_ticket ON ticket_reroutes (ticket_id, seq);
CREATE INDEX ix_tickets_status_created ON tickets (status, created_at);
