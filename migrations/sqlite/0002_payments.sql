-- Payments and the audit trail of session status changes.

CREATE TABLE payments (
    id                  TEXT PRIMARY KEY,
    client_id           TEXT NOT NULL REFERENCES clients (id),
    environment         TEXT NOT NULL,
    checkout_session_id TEXT NOT NULL REFERENCES checkout_sessions (id),
    status              TEXT NOT NULL,
    method              TEXT NOT NULL,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    failure_reason      TEXT,
    history             TEXT NOT NULL,  -- JSON [{status, at}], appended under the status guard
    body                TEXT NOT NULL   -- the payment as JSON; never a card number
);

CREATE INDEX payments_by_session
    ON payments (client_id, environment, checkout_session_id, created_at, id);
CREATE INDEX payments_by_created
    ON payments (client_id, environment, created_at, id);

-- Every stored status change of every session, written in the same transaction as the change
-- itself: "exactly once" is something one can count.
CREATE TABLE session_status_changes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  TEXT NOT NULL REFERENCES checkout_sessions (id),
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    at          INTEGER NOT NULL
);

CREATE INDEX session_status_changes_by_session ON session_status_changes (session_id, id);

-- The expiry sweep: only sessions that can still expire, in due order.
CREATE INDEX checkout_sessions_due
    ON checkout_sessions (expires_at)
    WHERE status IN ('ATTEMPT', 'ACTIVE');
