-- Sessions held by the gateway (issue 12): the cookie carries only a random id; signing out deletes
-- the row, so a cookie copied before sign-out opens nothing afterwards. The ticket is the
-- serialised sign-in (claims and lifetime), never a password.
CREATE TABLE sessions (
    id         VARCHAR(64)   NOT NULL PRIMARY KEY,
    subject    VARCHAR(200)  NOT NULL,
    ticket     BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_sessions_expires ON sessions (expires_at);
CREATE INDEX ix_sessions_subject ON sessions (subject);
