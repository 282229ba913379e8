-- The collèges registry, its audit trail and the routing decisions.
-- za_reprise_date is a calendar date kept as 'yyyy-MM-dd' text in both databases (text order is date
-- order); *_at columns are instants, written by the Dapper type handlers of ServiceDefaults.
-- `rule` is a reserved word in T-SQL, hence rule_id.
CREATE TABLE colleges (
    uai             CHAR(8)        NOT NULL CONSTRAINT pk_colleges PRIMARY KEY,
    name            VARCHAR(200)  NOT NULL,
    commune         VARCHAR(100)  NOT NULL,
    ut              VARCHAR(3)     NOT NULL,
    cite_mixte      BOOLEAN            NOT NULL,
    za_reprise_date CHAR(10)       NULL,
    built_year      BIGINT            NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE college_audit (
    id         BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL CONSTRAINT pk_college_audit PRIMARY KEY,
    uai        CHAR(8)        NOT NULL,
    changed_by VARCHAR(100)  NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL,
    action     VARCHAR(10)    NOT NULL,
    changes    TEXT  NOT NULL
);
CREATE INDEX ix_college_audit_uai ON college_audit (uai, changed_at);

CREATE TABLE routing_decisions (
    id               BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL CONSTRAINT pk_routing_decisions PRIMARY KEY,
    ticket_id        UUID NOT NULL,
    reference        VARCHAR(50)     NOT NULL,
    target           VARCHAR(20)      NOT NULL,
    tool             VARCHAR(10)      NULL,
    queue            VARCHAR(50)     NULL,
    rule_id          VARCHAR(10)      NOT NULL,
    rule_set_version VARCHAR(50)     NOT NULL,
    explanation      VARCHAR(2000)   NOT NULL,
    flags            VARCHAR(200)    NULL,
    decided_at       TIMESTAMPTZ   NOT NULL
);
CREATE INDEX ix_routing_decisions_ticket_id ON routing_decisions (ticket_id);
