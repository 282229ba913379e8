CREATE TABLE tickets (
    id                     UUID NOT NULL CONSTRAINT pk_tickets PRIMARY KEY,
    reference              VARCHAR(20)     NOT NULL CONSTRAINT uq_tickets_reference UNIQUE,
    college_uai            CHAR(8)         NOT NULL,
    requester_name         VARCHAR(200)    NOT NULL,
    requester_email        VARCHAR(254)    NOT NULL,
    requester_phone        VARCHAR(30)     NULL,
    zone                   VARCHAR(2)      NULL,
    category               VARCHAR(50)     NOT NULL,
    type                   VARCHAR(20)     NOT NULL,
    building_impact        BOOLEAN              NOT NULL,
    title                  VARCHAR(200)    NOT NULL,
    description            TEXT    NOT NULL,
    urgency                VARCHAR(10)     NOT NULL,
    location               VARCHAR(200)    NULL,
    equipment              VARCHAR(200)    NULL,
    status                 VARCHAR(20)     NOT NULL,
    route_target           VARCHAR(30)     NULL,
    route_tool             VARCHAR(20)     NULL,
    route_queue            VARCHAR(100)    NULL,
    route_rule             VARCHAR(20)     NULL,
    route_rule_set_version VARCHAR(100)    NULL,
    route_explanation      VARCHAR(2000)   NULL,
    flags                  VARCHAR(500)    NULL,
    external_tool          VARCHAR(20)     NULL,
    external_id            VARCHAR(100)    NULL,
    external_url           VARCHAR(1000)   NULL,
    failure_reason         VARCHAR(2000)   NULL,
    idempotency_key        VARCHAR(100)    NULL,
    request_hash           VARCHAR(64)      NULL,
    created_at             TIMESTAMPTZ   NOT NULL,
    updated_at             TIMESTAMPTZ   NOT NULL
);
CREATE UNIQUE INDEX ux_tickets_idempotency_key ON tickets (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX ix_tickets_college_status ON tickets (college_uai, status);

CREATE TABLE ticket_history (
    seq       BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL CONSTRAINT pk_ticket_history PRIMARY KEY,
    ticket_id UUID NOT NULL CONSTRAINT fk_ticket_history_ticket REFERENCES tickets (id),
    status    VARCHAR(20)     NOT NULL,
    at        TIMESTAMPTZ   NOT NULL,
    note      VARCHAR(2000)   NULL
);
CREATE INDEX ix_ticket_history_ticket ON ticket_history (ticket_id, seq);

CREATE TABLE reference_counters (
    year       BIGINT    NOT NULL CONSTRAINT pk_reference_counters PRIMARY KEY,
    last_value BIGINT NOT NULL
);
