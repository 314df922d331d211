-- kassa on PostgreSQL: the first schema, the same tables and indexes as migrations/sqlite.
-- Instants are BIGINT milliseconds since the Unix epoch (UTC) and amounts canonical decimal
-- TEXT, exactly as on SQLite: one row decoder serves both backends, and no float or timestamp
-- conversion can ever round a value. Every table that holds client data carries
-- (client_id, environment), and every index that serves the API starts with them, because
-- every query is scoped by tenant. Flags are BIGINT 0/1 rather than BOOLEAN for the same
-- shared decoding.
--
-- Columns that lists sort by (ids as the tie-breaker, status, the amount key) are COLLATE "C":
-- byte order, as on SQLite, whatever locale the operator's database was created with (a
-- linguistic collation may skip punctuation and order differently from the API's rules).

-- Process-wide settings every kassa process on this database must agree on (the token
-- signing key, when the operator did not configure one). Written with INSERT … ON CONFLICT
-- DO NOTHING, so processes starting together settle on one value.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE clients (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    environment  TEXT NOT NULL CHECK (environment IN ('production', 'sandbox')),
    secret_hash  TEXT NOT NULL,  -- argon2id PHC string
    api_key_hash TEXT NOT NULL UNIQUE,  -- hex SHA-256; looked up on every request
    created_at   BIGINT NOT NULL,
    revoked_at   BIGINT
);

-- One row per checkout token in use, whatever holds it (a session or a payment link), so that
-- uniqueness across both is a primary key and not a check that can race: of two processes
-- inserting the same token, the second waits for the first and then fails.
CREATE TABLE checkout_tokens (
    client_id   TEXT NOT NULL REFERENCES clients (id),
    environment TEXT NOT NULL,
    token       TEXT NOT NULL,
    PRIMARY KEY (client_id, environment, token)
);

CREATE TABLE checkout_sessions (
    id                TEXT COLLATE "C" PRIMARY KEY,
    client_id         TEXT NOT NULL REFERENCES clients (id),
    environment       TEXT NOT NULL,
    checkout_token    TEXT NOT NULL,
    public_token      TEXT NOT NULL UNIQUE,
    payment_link_id   TEXT,
    status            TEXT COLLATE "C" NOT NULL,
    deactivated       BIGINT NOT NULL DEFAULT 0 CHECK (deactivated IN (0, 1)),
    created_at        BIGINT NOT NULL,
    expires_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    duration_secs     BIGINT NOT NULL,
    success_url       TEXT,
    failed_url        TEXT,
    owner_identity_id TEXT NOT NULL,
    total_sort_key    TEXT COLLATE "C" NOT NULL,  -- Money::sort_key: fixed width, sorts like the amount
    body              TEXT NOT NULL,  -- the offer as JSON, amounts canonical
    payment_configs   TEXT NOT NULL   -- JSON; recomputed by refresh
);

-- The default listing (newest first) and the date filters.
CREATE INDEX checkout_sessions_by_created
    ON checkout_sessions (client_id, environment, created_at, id);
-- sort=expiresAt.
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
);

-- Exchange rates: one `from_currency` unit is worth `rate` units of `to_currency`.
CREATE TABLE rates (
    environment   TEXT NOT NULL,
    from_currency TEXT NOT NULL,
    to_currency   TEXT NOT NULL,
    rate          TEXT NOT NULL,  -- exact decimal text, never NUMERIC or float
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (environment, from_currency, to_currency)
);
