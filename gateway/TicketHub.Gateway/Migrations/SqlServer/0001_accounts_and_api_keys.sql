-- Local accounts (the embedded default; OpenID Connect users are not stored) and API keys.
-- Logins are stored lower-cased: unique whatever the case. Secrets are never stored: a password
-- hash (ASP.NET Core Identity's PasswordHasher) and the SHA-256 of a key's secret.
CREATE TABLE accounts (
    id            UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    login         NVARCHAR(100) NOT NULL CONSTRAINT uq_accounts_login UNIQUE,
    display_name  NVARCHAR(200) NOT NULL,
    role          NVARCHAR(20) NOT NULL,
    uai           NVARCHAR(8) NULL,
    password_hash NVARCHAR(400) NOT NULL,
    disabled      BIT NOT NULL DEFAULT 0,
    created_at    DATETIMEOFFSET NOT NULL,
    CONSTRAINT ck_accounts_uai CHECK ((role = 'college' AND uai IS NOT NULL) OR (role <> 'college' AND uai IS NULL))
);

CREATE TABLE api_keys (
    id           NVARCHAR(40) NOT NULL PRIMARY KEY,
    name         NVARCHAR(200) NOT NULL,
    role         NVARCHAR(20) NOT NULL,
    uai          NVARCHAR(8) NULL,
    secret_hash  NVARCHAR(64) NOT NULL,
    created_at   DATETIMEOFFSET NOT NULL,
    last_used_at DATETIMEOFFSET NULL,
    revoked      BIT NOT NULL DEFAULT 0,
    CONSTRAINT ck_api_keys_uai CHECK ((role = 'college' AND uai IS NOT NULL) OR (role <> 'college' AND uai IS NULL))
);
