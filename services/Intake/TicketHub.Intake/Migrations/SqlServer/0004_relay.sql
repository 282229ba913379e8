-- What a person must copy by hand into a tool without an API (PASS, Omère in manual delivery mode).
CREATE TABLE relay_items (
    item_id                  UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_relay_items PRIMARY KEY,
    ticket_id                UNIQUEIDENTIFIER NOT NULL CONSTRAINT fk_relay_items_ticket REFERENCES tickets (id),
    reference                NVARCHAR(20)     NOT NULL,
    tool                     NVARCHAR(20)     NOT NULL,
    kind                     NVARCHAR(20)     NOT NULL,
    queue                    NVARCHAR(100)    NULL,
    subject                  NVARCHAR(1000)   NOT NULL,
    body                     NVARCHAR(MAX)    NOT NULL,
    -- For a comment: the tool's number of the ticket it belongs to.
    external_id              NVARCHAR(100)    NULL,
    requested_at             DATETIMEOFFSET   NOT NULL,
    -- pending | acknowledged
    state                    NVARCHAR(20)     NOT NULL,
    acknowledged_external_id NVARCHAR(64)     NULL,
    acknowledged_by          NVARCHAR(200)    NULL,
    acknowledged_at          DATETIMEOFFSET   NULL
);
CREATE INDEX ix_relay_items_tool_state ON relay_items (tool, state, requested_at, item_id);
CREATE INDEX ix_relay_items_tool_queue_state ON relay_items (tool, queue, state, requested_at, item_id);
CREATE INDEX ix_relay_items_ticket ON relay_items (ticket_id);

-- Who reported a change made in a tool the hub cannot read (email and manual modes), and what.
CREATE TABLE operator_reports (
    seq         BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT pk_operator_reports PRIMARY KEY,
    ticket_id   UNIQUEIDENTIFIER NOT NULL CONSTRAINT fk_operator_reports_ticket REFERENCES tickets (id),
    event_id    NVARCHAR(200)    NOT NULL,
    reported_by NVARCHAR(200)    NOT NULL,
    reported_at DATETIMEOFFSET   NOT NULL,
    tool        NVARCHAR(20)     NOT NULL,
    status      NVARCHAR(20)     NULL,
    reply       NVARCHAR(MAX)    NULL,
    author_name NVARCHAR(200)    NULL
);
CREATE INDEX ix_operator_reports_ticket ON operator_reports (ticket_id, seq);
