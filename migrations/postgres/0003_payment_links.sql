-- Payment links: reusable offers that make checkout sessions (as migrations/sqlite/0003).
-- Same conventions as 0001: BIGINT milliseconds, canonical decimal TEXT, and every index that
-- serves the API starts with (client_id, environment). A link's checkout token is reserved in
-- `checkout_tokens` beside the sessions' ones, so one token names one thing per tenant.

CREATE TABLE payment_links (
    id                TEXT COLLATE "C" PRIMARY KEY,  -- the list's tie-breaker: byte order
    client_id         TEXT NOT NULL REFERENCES clients (id),
    environment       TEXT NOT NULL,
    checkout_token    TEXT NOT NULL,
    public_token      TEXT NOT NULL UNIQUE,  -- opens /l/{public_token}
    status            TEXT NOT NULL,         -- as last stored; reads apply expires_at
    created_at        BIGINT NOT NULL,
    expires_at        BIGINT NOT NULL,       -- created_at + duration
    updated_at        BIGINT NOT NULL,
    duration_secs     BIGINT NOT NULL,
    success_url       TEXT,
    failed_url        TEXT,
    owner_identity_id TEXT NOT NULL,
    customer_email    TEXT,                  -- lower-cased, for the customer.email filter
    body              TEXT NOT NULL          -- the offer as JSON, amounts canonical
);

-- The list order is (created_at, id) newest first. Each filter's index ends with those two
-- columns, so a page filtered on one value is read in list order with no sort.
CREATE INDEX payment_links_by_created
    ON payment_links (client_id, environment, created_at, id);
CREATE INDEX payment_links_by_status
    ON payment_links (client_id, environment, status, created_at, id);
CREATE INDEX payment_links_by_owner
    ON payment_links (client_id, environment, owner_identity_id, created_at, id);
CREATE INDEX payment_links_by_customer_email
    ON payment_links (client_id, environment, customer_email, created_at, id);
-- The token route's lookup; uniqueness itself is kept by checkout_tokens.
CREATE UNIQUE INDEX payment_links_by_token
    ON payment_links (client_id, environment, checkout_token);

-- The `destination.accountNumber` filter: any destination of the link.
CREATE TABLE payment_link_destinations (
    client_id      TEXT NOT NULL,
    environment    TEXT NOT NULL,
    account_number TEXT NOT NULL,
    link_id        TEXT NOT NULL REFERENCES payment_links (id) ON DELETE CASCADE,
    PRIMARY KEY (client_id, environment, account_number, link_id)
);
-- Not a filter: lets deleting a link find its destination rows (the cascade) without a scan.
CREATE INDEX payment_link_destinations_by_link
    ON payment_link_destinations (link_id);
