-- The meaning of each inquiry's question (issue 20: similar past inquiries, search by question):
-- the e5 embedding of its subject and first message, quantised to one signed byte a dimension
-- (`vector`, 384 bytes) times `scale`. Written once per inquiry, by the semantic worker or the
-- background job that catches up; `id` orders the rows so servers load only what is new.
CREATE TABLE inquiry_embeddings (
    id          INTEGER PRIMARY KEY,
    inquiry_id  INTEGER NOT NULL REFERENCES inquiries (id),
    scale       DOUBLE PRECISION NOT NULL,
    vector      BLOB NOT NULL,
    CONSTRAINT inquiry_embeddings_inquiry_unique UNIQUE (inquiry_id)
);
