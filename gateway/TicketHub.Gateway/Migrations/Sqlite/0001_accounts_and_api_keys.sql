-- Local accounts (the embedded default; OpenID Connect users are not stored) and API keys.
-- Logins are stored lower-cased: unique whatever the case. Secrets are never stored: a password
-- hash (ASP.NET Core Identity's PasswordHasher) and the SHA-256 of a key's secret.
CREATE TABLE accounts (
    id            TEXT NOT NULL PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    uai           TEXT NULL,
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    CHECK ((role = 'college') = (uai IS NOT NULL))
);

CREATE TABLE api_keys (
    id           TEXT NOT NULL PRIMARY KEY,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL,
    uai          TEXT NULL,
    secret_hash  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT NULL,
    revoked      INTEGER NOT NULL DEFAULT 0,
    CHECK ((role = 'college') = (uai IS NOT NULL))
);
