-- List indexes that also serve the sort's tie-breaker and the expiry check, so that a filtered
-- page and its total are read from the index alone (measured with benches/hot_paths.rs: a
-- status filter over 2,000 sessions went from a full sort of the matches to an index walk).

DROP INDEX checkout_sessions_by_status;
CREATE INDEX checkout_sessions_by_status
    ON checkout_sessions (client_id, environment, status, created_at, id, expires_at);

DROP INDEX checkout_sessions_by_owner;
CREATE INDEX checkout_sessions_by_owner
    ON checkout_sessions (client_id, environment, owner_identity_id, created_at, id);
