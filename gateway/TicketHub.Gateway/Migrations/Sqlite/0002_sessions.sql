-- Sessions held by the gateway (issue 12): the cookie carries only a random id; signing out deletes
-- the row, so a cookie copied before sign-out opens nothing afterwards. The ticket is the
-- serialised sign-in (claims and lifetime), never a password.
CREATE TABLE sessions (
    id         TEXT NOT NULL PRIMARY KEY,
    subject    TEXT NOT NULL,
    ticket     BLOB NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX ix_sessions_expires ON sessions (expires_at);
CREATE INDEX ix_sessions_subject ON sessions (subject);
