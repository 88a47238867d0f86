-- Files attached to a message of an inquiry's thread (by the customer, an agent, or a mail) or of
-- a chat. The bytes live in the file store under `file_key` (the SHA-256 of the bytes); the row
-- says whose thread they belong to, so a download is allowed exactly when the thread may be read.
CREATE TABLE attachments (
    id              INTEGER PRIMARY KEY,
    inquiry_id      INTEGER REFERENCES inquiries (id),
    message_id      INTEGER REFERENCES inquiry_messages (id),
    chat_id         INTEGER REFERENCES chats (id),
    chat_message_id INTEGER REFERENCES chat_messages (id),
    -- what the content is (sniffed from the bytes, never taken from the name or the sender)
    kind            TEXT NOT NULL CHECK (kind IN ('png', 'jpeg', 'gif', 'webp', 'pdf', 'text', 'ole', 'docx', 'xlsx', 'pptx', 'hwpx', 'odf', 'zip', 'refused')),
    -- the name shown and downloaded (path parts, control characters removed; an extension that
    -- does not fit the content gets the right one appended)
    name            TEXT NOT NULL,
    size            INTEGER NOT NULL CHECK (size >= 0),
    -- none for a mail attachment that was not kept (kind 'refused'; `refused` says why)
    file_key        TEXT,
    refused         TEXT,
    created_at      BIGINT NOT NULL,
    CHECK ((inquiry_id IS NOT NULL AND message_id IS NOT NULL AND chat_id IS NULL AND chat_message_id IS NULL)
        OR (inquiry_id IS NULL AND message_id IS NULL AND chat_id IS NOT NULL AND chat_message_id IS NOT NULL)),
    CHECK ((kind = 'refused') = (file_key IS NULL))
);
CREATE INDEX attachments_message ON attachments (message_id);
CREATE INDEX attachments_chat_message ON attachments (chat_message_id);
CREATE INDEX attachments_inquiry ON attachments (inquiry_id);
