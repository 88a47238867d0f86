-- Files kept in the database rather than in a folder (used with PostgreSQL, where several servers
-- must read the same attachments and mail originals; the table exists on SQLite too, so both
-- backends have the same schema). A file is cut into chunks of 256 KiB; `stored_files` is
-- written last, in the same transaction, so a file is listed only once it is whole.
CREATE TABLE stored_files (
    file_key    TEXT PRIMARY KEY,
    size        BIGINT NOT NULL CHECK (size >= 0),
    created_at  BIGINT NOT NULL
);
CREATE TABLE file_chunks (
    file_key    TEXT NOT NULL,
    n           INTEGER NOT NULL CHECK (n >= 0),
    bytes       BLOB NOT NULL,
    PRIMARY KEY (file_key, n)
);
