-- kassa on SQLite: the first schema.
-- Instants are INTEGER milliseconds since the Unix epoch (UTC); amounts are canonical decimal
-- TEXT, never REAL. Every table that holds client data carries (client_id, environment), and
-- every index that serves the API starts with them, because every query is scoped by tenant.

-- Process-wide settings every kassa process on this database must agree on (the token
-- signing key, when the operator did not configure one).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE clients (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    environment  TEXT NOT NULL CHECK (environment IN ('production', 'sandbox')),
    secret_hash  TEXT NOT NULL,  -- argon2id PHC string
    api_key_hash TEXT NOT NULL UNIQUE,  -- hex SHA-256; looked up on every request
    created_at   INTEGER NOT NULL,
    revoked_at   INTEGER
);

-- One row per checkout token in use, whatever holds it (a session or a payment link), so that
-- uniqueness across both is a primary key and not a check that can race.
CREATE TABLE checkout_tokens (
    client_id   TEXT NOT NULL REFERENCES clients (id),
    environment TEXT NOT NULL,
    token       TEXT NOT NULL,
    PRIMARY KEY (client_id, environment, token)
) WITHOUT ROWID;

CREATE TABLE checkout_sessions (
    id                TEXT PRIMARY KEY,
    client_id         TEXT NOT NULL REFERENCES clients (id),
    environment       TEXT NOT NULL,
    checkout_token    TEXT NOT NULL,
    public_token      TEXT NOT NULL UNIQUE,
    payment_link_id   TEXT,
    status            TEXT NOT NULL,
    deactivated       INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    expires_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    duration_secs     INTEGER NOT NULL,
    success_url       TEXT,
    failed_url        TEXT,
    owner_identity_id TEXT NOT NULL,
    total_sort_key    TEXT NOT NULL,  -- Money::sort_key: fixed width, sorts like the amount
    body              TEXT NOT NULL,  -- the offer as JSON, amounts canonical
    payment_configs   TEXT NOT NULL   -- JSON; recomputed by refresh
);

-- The default listing (newest first) and the date filters.
CREATE INDEX checkout_sessions_by_created
    ON checkout_sessions (client_id, environment, created_at, id);
-- sort=expiresAt, and the expiry sweep's range scan.
CREATE INDEX checkout_sessions_by_expires
    ON checkout_sessions (client_id, environment, expires_at, id);
CREATE INDEX checkout_sessions_by_total
    ON checkout_sessions (client_id, environment, total_sort_key, id);
CREATE INDEX checkout_sessions_by_status
    ON checkout_sessions (client_id, environment, status, created_at);
CREATE INDEX checkout_sessions_by_owner
    ON checkout_sessions (client_id, environment, owner_identity_id, created_at);
CREATE UNIQUE INDEX checkout_sessions_by_token
    ON checkout_sessions (client_id, environment, checkout_token);

-- The accountNumber filter: any destination of the session.
CREATE TABLE session_destinations (
    account_number TEXT NOT NULL,
    session_id     TEXT NOT NULL REFERENCES checkout_sessions (id) ON DELETE CASCADE,
    PRIMARY KEY (account_number, session_id)
) WITHOUT ROWID;

-- Exchange rates: one `from_currency` unit is worth `rate` units of `to_currency`.
CREATE TABLE rates (
    environment   TEXT NOT NULL,
    from_currency TEXT NOT NULL,
    to_currency   TEXT NOT NULL,
    rate          TEXT NOT NULL,  -- exact decimal text
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (environment, from_currency, to_currency)
) WITHOUT ROWID;
