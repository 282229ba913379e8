-- What a person must copy by hand into a tool without an API (PASS, Omère in manual delivery mode).
CREATE TABLE relay_items (
    item_id                  UUID NOT NULL CONSTRAINT pk_relay_items PRIMARY KEY,
    ticket_id                UUID NOT NULL CONSTRAINT fk_relay_items_ticket REFERENCES tickets (id),
    reference                VARCHAR(20)     NOT NULL,
    tool                     VARCHAR(20)     NOT NULL,
    kind                     VARCHAR(20)     NOT NULL,
    queue                    VARCHAR(100)    NULL,
    subject                  VARCHAR(1000)   NOT NULL,
    body                     TEXT    NOT NULL,
    -- For a comment: the tool's number of the ticket it belongs to.
    external_id              VARCHAR(100)    NULL,
    requested_at             TIMESTAMPTZ   NOT NULL,
    -- pending | acknowledged
    state                    VARCHAR(20)     NOT NULL,
    acknowledged_external_id VARCHAR(64)     NULL,
    acknowledged_by          VARCHAR(200)    NULL,
    acknowledged_at          TIMESTAMPTZ   NULL
);
CREATE INDEX ix_relay_items_tool_state ON relay_items (tool, state, requested_at, item_id);
CREATE INDEX ix_relay_items_tool_queue_state ON relay_items (tool, queue, state, requested_at, item_id);
CREATE INDEX ix_relay_items_ticket ON relay_items (ticket_id);

-- Who reported a change made in a tool the hub cannot read (email and manual modes), and what.
CREATE TABLE operator_reports (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL CONSTRAINT pk_operator_reports PRIMARY KEY,
    ticket_id   UUID NOT NULL CONSTRAINT fk_operator_reports_ticket REFERENCES tickets (id),
    event_id    VARCHAR(200)    NOT NULL,
    reported_by VARCHAR(200)    NOT NULL,
    reported_at TIMESTAMPTZ   NOT NULL,
    tool        VARCHAR(20)     NOT NULL,
    status      VARCHAR(20)     NULL,
    reply       TEXT    NULL,
    author_name VARCHAR(200)    NULL
);
CREATE INDEX ix_operator_reports_ticket ON operator_reports (ticket_id, seq);
