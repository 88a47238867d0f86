-- Outgoing mail: a row is written in the transaction of the change that causes it, and a worker
-- sends it (SMTP when configured, otherwise an .eml file under data/outbox/). The message id is
-- fixed when the row is written, so sending the same row again is recognisable as the same mail.
-- Replaces the first schema's placeholder table, which nothing ever wrote to.
DROP TABLE email_outbox;
CREATE TABLE email_outbox (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    -- which mail (registration_link, password_changed, …)
    template TEXT NOT NULL,
    -- transactional (security notices, answers to the person's own request) always goes;
    -- marketing only with email consent
    kind TEXT NOT NULL CHECK (kind IN ('transactional', 'marketing')),
    -- the customer it concerns, for their contact history (none for a registration not finished)
    customer_id INTEGER REFERENCES customers (id) ON DELETE SET NULL,
    to_address TEXT NOT NULL,
    to_key TEXT NOT NULL,
    locale TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    -- pending (waiting or retrying), sent, dead (gave up: last_error says why)
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
    tries INTEGER NOT NULL DEFAULT 0,
    next_at BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX email_outbox_due ON email_outbox (state, next_at);
CREATE INDEX email_outbox_recipient ON email_outbox (to_key, created_at);
CREATE INDEX email_outbox_customer ON email_outbox (customer_id, created_at);

-- A link mailed to an address to prove it is the person's: finishing a registration, or moving
-- an account to a new sign-in email. Only a hash of the link's token is stored.
CREATE TABLE email_confirmations (
    id INTEGER PRIMARY KEY,
    purpose TEXT NOT NULL CHECK (purpose IN ('registration', 'email_change')),
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    -- the account whose email changes (email_change)
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    -- the account to create (registration): name and password hash as given in the form
    display_name TEXT,
    password_hash TEXT,
    locale TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX email_confirmations_expiry ON email_confirmations (expires_at);
CREATE INDEX email_confirmations_user ON email_confirmations (user_id);
