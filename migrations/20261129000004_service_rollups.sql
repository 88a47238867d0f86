-- Service-metric histograms (DESIGN 4): per arrival hour (UTC), inquiry type, channel, metric
-- and bucket, how many inquiries. Metrics: first_response and resolution (bucket = duration in
-- logarithmic steps, eight per doubling), sla (1 met, 0 missed), csat (score 1-5), voc (category
-- index). Kept up to date by the app in the same transaction as the inquiry change; the app fills
-- it from the inquiries on first start after this migration (the buckets are computed in Rust).
CREATE TABLE service_rollups (
    hour_at     BIGINT NOT NULL,
    type_id     INTEGER NOT NULL REFERENCES inquiry_types (id),
    channel     TEXT NOT NULL,
    metric      TEXT NOT NULL CHECK (metric IN ('first_response', 'resolution', 'sla', 'csat', 'voc')),
    bucket      INTEGER NOT NULL,
    n           BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT service_rollups_key PRIMARY KEY (hour_at, type_id, channel, metric, bucket)
);
CREATE INDEX service_rollups_type ON service_rollups (type_id);
