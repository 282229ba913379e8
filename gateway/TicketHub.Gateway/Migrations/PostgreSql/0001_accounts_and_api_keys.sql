-- Local accounts (the embedded default; OpenID Connect users are not stored) and API keys.
-- Logins are stored lower-cased: unique whatever the case. Secrets are never stored: a password
-- hash (ASP.NET Core Identity's PasswordHasher) and the SHA-256 of a key's secret.
CREATE TABLE accounts (
    id            UUID NOT NULL PRIMARY KEY,
    login         VARCHAR(100) NOT NULL CONSTRAINT uq_accounts_login UNIQUE,
    display_name  VARCHAR(200) NOT NULL,
    role          VARCHAR(20) NOT NULL,
    uai           VARCHAR(8) NULL,
    password_hash VARCHAR(400) NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL,
    CONSTRAINT ck_accounts_uai CHECK ((role = 'college' AND uai IS NOT NULL) OR (role <> 'college' AND uai IS NULL))
);

CREATE TABLE api_keys (
    id           VARCHAR(40) NOT NULL PRIMARY KEY,
    name         VARCHAR(200) NOT NULL,
    role         VARCHAR(20) NOT NULL,
    uai          VARCHAR(8) NULL,
    secret_hash  VARCHAR(64) NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ NULL,
    revoked      BOOLEAN NOT NULL DEFAULT FALSE,
    CONSTRAINT ck_api_keys_uai CHECK ((role = 'college' AND uai IS NOT NULL) OR (role <> 'college' AND uai IS NULL))
);
