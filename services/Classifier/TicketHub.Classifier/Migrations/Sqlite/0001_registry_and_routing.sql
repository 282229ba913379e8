-- The collèges registry, its audit trail and the routing decisions.
-- za_reprise_date is a calendar date kept as 'yyyy-MM-dd' text in both databases (text order is date
-- order); *_at columns are instants, written by the Dapper type handlers of ServiceDefaults.
-- `rule` is a reserved word in T-SQL, hence rule_id.
CREATE TABLE colleges (
    uai             TEXT    NOT NULL PRIMARY KEY,
    name            TEXT    NOT NULL,
    commune         TEXT    NOT NULL,
    ut              TEXT    NOT NULL,
    cite_mixte      INTEGER NOT NULL,
    za_reprise_date TEXT    NULL,
    built_year      INTEGER NULL,
    updated_at      TEXT    NOT NULL
);

CREATE TABLE college_audit (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    uai        TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    action     TEXT NOT NULL,
    changes    TEXT NOT NULL
);
CREATE INDEX ix_college_audit_uai ON college_audit (uai, changed_at);

CREATE TABLE routing_decisions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id        TEXT NOT NULL,
    reference        TEXT NOT NULL,
    target           TEXT NOT NULL,
    tool             TEXT NULL,
    queue            TEXT NULL,
    rule_id          TEXT NOT NULL,
    rule_set_version TEXT NOT NULL,
    explanation      TEXT NOT NULL,
    flags            TEXT NULL,
    decided_at       TEXT NOT NULL
);
CREATE INDEX ix_routing_decisions_ticket_id ON routing_decisions (ticket_id);
