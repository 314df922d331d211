-- Payments and the audit trail of session status changes (as migrations/sqlite/0002).

CREATE TABLE payments (
    id                  TEXT COLLATE "C" PRIMARY KEY,  -- the list's tie-breaker: byte order
    client_id           TEXT NOT NULL REFERENCES clients (id),
    environment         TEXT NOT NULL,
    checkout_session_id TEXT NOT NULL REFERENCES checkout_sessions (id),
    status              TEXT NOT NULL,
    method              TEXT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    failure_reason      TEXT,
    history             TEXT NOT NULL,  -- JSON [{status, at}], appended under the status guard
    body                TEXT NOT NULL   -- the payment as JSON; never a card number
);

CREATE INDEX payments_by_session
    ON payments (client_id, environment, checkout_session_id, created_at, id);
CREATE INDEX payments_by_created
    ON payments (client_id, environment, created_at, id);

-- Every stored status change of every session, written in the same transaction as the change
-- itself: "exactly once" is something one can count, across every process on the database.
-- The identity only orders a session's changes; it is never exposed.
CREATE TABLE session_status_changes (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES checkout_sessions (id),
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    at          BIGINT NOT NULL
);

CREATE INDEX session_status_changes_by_session ON session_status_changes (session_id, id);

-- The expiry sweep: only sessions that can still expire, in due order. Every process's
-- sweeper claims from the head of this index with FOR UPDATE SKIP LOCKED, so the index stays
-- as small as the sessions still waiting, however many have expired or been paid.
CREATE INDEX checkout_sessions_due
    ON checkout_sessions (expires_at)
    WHERE status IN ('ATTEMPT', 'ACTIVE');
