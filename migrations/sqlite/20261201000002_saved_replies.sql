-- Saved replies: answers agents and admins keep per group and language, inserted in the
-- workspace's composer with "/" (beside the FAQ answers) and edited before sending.
CREATE TABLE saved_replies (
    id              INTEGER PRIMARY KEY,
    group_id        INTEGER NOT NULL REFERENCES agent_groups (id),
    language        TEXT NOT NULL CHECK (language IN ('ko', 'en')),
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_by      INTEGER NOT NULL REFERENCES users (id),
    updated_by      INTEGER NOT NULL REFERENCES users (id),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    CONSTRAINT saved_replies_title_unique UNIQUE (group_id, language, title)
);
CREATE INDEX saved_replies_created_by ON saved_replies (created_by);
CREATE INDEX saved_replies_updated_by ON saved_replies (updated_by);
