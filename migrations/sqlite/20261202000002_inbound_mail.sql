-- Inbound mail: support mailboxes read over IMAP, and every mail read from them.

-- A mailbox an admin connected: where to read (imap:// with STARTTLS or imaps://), as whom, which
-- folder, and the inquiry type new mails from it are filed under. `address` is the address
-- customers write to: answers to its inquiries name it in Reply-To.
CREATE TABLE mailboxes (
    id              INTEGER PRIMARY KEY,
    address         TEXT NOT NULL,
    url             TEXT NOT NULL,
    username        TEXT NOT NULL,
    -- kept to log in with; never shown again once saved
    password        TEXT NOT NULL,
    folder          TEXT NOT NULL DEFAULT 'INBOX',
    type_id         INTEGER NOT NULL REFERENCES inquiry_types (id),
    -- seconds between polls when the server cannot IDLE (and at most between IDLE rounds)
    poll_seconds    INTEGER NOT NULL DEFAULT 60 CHECK (poll_seconds BETWEEN 10 AND 3600),
    enabled         INTEGER NOT NULL DEFAULT 1,
    last_polled_at  BIGINT,
    -- why the last connection failed (none after a good poll)
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

-- Every mail read from a mailbox, once (by Message-ID: a mail read twice, after a crash between
-- the import and marking it \Seen, is recognised and skipped), and what became of it.
CREATE TABLE inbound_mails (
    id              INTEGER PRIMARY KEY,
    mailbox_id      INTEGER REFERENCES mailboxes (id) ON DELETE SET NULL,
    message_id      TEXT NOT NULL,
    sender          TEXT NOT NULL,
    sender_key      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    outcome         TEXT NOT NULL CHECK (outcome IN ('new_inquiry', 'reply', 'ignored', 'bounce', 'failed')),
    -- why it was ignored or could not be imported (a code; the admin page words it)
    reason          TEXT,
    detail          TEXT,
    inquiry_id      INTEGER REFERENCES inquiries (id) ON DELETE SET NULL,
    message_row_id  INTEGER REFERENCES inquiry_messages (id) ON DELETE SET NULL,
    -- the original mail in the file store (content-addressed), for the agent to open
    raw_key         TEXT,
    size            INTEGER NOT NULL,
    received_at     BIGINT NOT NULL,
    CONSTRAINT inbound_mails_message_id_unique UNIQUE (message_id)
);
CREATE INDEX inbound_mails_sender ON inbound_mails (sender_key, received_at);
CREATE INDEX inbound_mails_outcome ON inbound_mails (outcome, received_at);
CREATE INDEX inbound_mails_message_row ON inbound_mails (message_row_id);

-- A customer who wrote by mail from an address with no account: a record without a password,
-- which cannot sign in until someone proves the address by registering with it.
ALTER TABLE users ADD COLUMN mail_only INTEGER NOT NULL DEFAULT 0;

-- A mail that came back as undeliverable (a bounce read from a support mailbox).
ALTER TABLE email_outbox ADD COLUMN bounced_at BIGINT;

-- Where a customer's reply to a mail should go: the support mailbox of the inquiry it is about.
ALTER TABLE email_outbox ADD COLUMN reply_to TEXT;
