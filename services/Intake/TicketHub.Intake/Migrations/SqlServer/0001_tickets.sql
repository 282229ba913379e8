CREATE TABLE tickets (
    id                     UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_tickets PRIMARY KEY,
    reference              NVARCHAR(20)     NOT NULL CONSTRAINT uq_tickets_reference UNIQUE,
    college_uai            NCHAR(8)         NOT NULL,
    requester_name         NVARCHAR(200)    NOT NULL,
    requester_email        NVARCHAR(254)    NOT NULL,
    requester_phone        NVARCHAR(30)     NULL,
    zone                   NVARCHAR(2)      NULL,
    category               NVARCHAR(50)     NOT NULL,
    type                   NVARCHAR(20)     NOT NULL,
    building_impact        BIT              NOT NULL,
    title                  NVARCHAR(200)    NOT NULL,
    description            NVARCHAR(MAX)    NOT NULL,
    urgency                NVARCHAR(10)     NOT NULL,
    location               NVARCHAR(200)    NULL,
    equipment              NVARCHAR(200)    NULL,
    status                 NVARCHAR(20)     NOT NULL,
    route_target           NVARCHAR(30)     NULL,
    route_tool             NVARCHAR(20)     NULL,
    route_queue            NVARCHAR(100)    NULL,
    route_rule             NVARCHAR(20)     NULL,
    route_rule_set_version NVARCHAR(100)    NULL,
    route_explanation      NVARCHAR(2000)   NULL,
    flags                  NVARCHAR(500)    NULL,
    external_tool          NVARCHAR(20)     NULL,
    external_id            NVARCHAR(100)    NULL,
    external_url           NVARCHAR(1000)   NULL,
    failure_reason         NVARCHAR(2000)   NULL,
    idempotency_key        NVARCHAR(100)    NULL,
    request_hash           VARCHAR(64)      NULL,
    created_at             DATETIMEOFFSET   NOT NULL,
    updated_at             DATETIMEOFFSET   NOT NULL
);
CREATE UNIQUE INDEX ux_tickets_idempotency_key ON tickets (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX ix_tickets_college_status ON tickets (college_uai, status);

CREATE TABLE ticket_history (
    seq       BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT pk_ticket_history PRIMARY KEY,
    ticket_id UNIQUEIDENTIFIER NOT NULL CONSTRAINT fk_ticket_history_ticket REFERENCES tickets (id),
    status    NVARCHAR(20)     NOT NULL,
    at        DATETIMEOFFSET   NOT NULL,
    note      NVARCHAR(2000)   NULL
);
CREATE INDEX ix_ticket_history_ticket ON ticket_history (ticket_id, seq);

CREATE TABLE reference_counters (
    year       INT    NOT NULL CONSTRAINT pk_reference_counters PRIMARY KEY,
    last_value BIGINT NOT NULL
);
