-- Admin settings that are one value for the whole centre (e.g. the RFM thresholds of customer
-- grades), as JSON under a key.
CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_by  BIGINT REFERENCES users (id),
    updated_at  BIGINT NOT NULL
);
CREATE INDEX settings_updated_by ON settings (updated_by);
