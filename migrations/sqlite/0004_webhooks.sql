-- Webhooks: one endpoint per client and environment, the outbox of events, and the log of
-- every delivery attempt.

CREATE TABLE webhook_endpoints (
    client_id           TEXT NOT NULL REFERENCES clients (id),
    environment         TEXT NOT NULL,
    url                 TEXT NOT NULL,
    secret              TEXT NOT NULL,  -- needed in clear to sign; see docs/webhooks.md
    previous_secret     TEXT,
    previous_expires_at INTEGER,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    PRIMARY KEY (client_id, environment)
) WITHOUT ROWID;

-- The outbox. Rows are written in the same transaction as the state change they report, so an
-- event exists if and only if its change was committed.
CREATE TABLE webhook_events (
    id              TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL REFERENCES clients (id),
    environment     TEXT NOT NULL,
    event           TEXT NOT NULL,
    data            TEXT NOT NULL,  -- JSON snapshot of the object at the time of the event
    created_at      INTEGER NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending',  -- pending | delivered | failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,  -- NULL once delivered or given up
    locked_until    INTEGER,  -- a worker's lease on the row
    delivered_at    INTEGER,
    last_error      TEXT
);

-- The delivery worker's scan: only pending rows, in due order.
CREATE INDEX webhook_events_due ON webhook_events (next_attempt_at) WHERE status = 'pending';
-- The API's event log.
CREATE INDEX webhook_events_by_tenant ON webhook_events (client_id, environment, created_at, id);

CREATE TABLE webhook_attempts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id    TEXT NOT NULL REFERENCES webhook_events (id),
    at          INTEGER NOT NULL,
    url         TEXT NOT NULL,
    status_code INTEGER,
    latency_ms  INTEGER NOT NULL,
    error       TEXT
);

CREATE INDEX webhook_attempts_by_event ON webhook_attempts (event_id, id);
