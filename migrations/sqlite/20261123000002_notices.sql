-- Notices customers see on My page (service announcements), in both languages.
CREATE TABLE notices (
    id              INTEGER PRIMARY KEY,
    title_ko        TEXT NOT NULL,
    title_en        TEXT NOT NULL,
    body_ko         TEXT NOT NULL,
    body_en         TEXT NOT NULL,
    published_at    BIGINT NOT NULL,
    expires_at      BIGINT
);
CREATE INDEX notices_published ON notices (published_at);
