-- Service-metric histograms (DESIGN 4): per arrival day (the UTC millisecond of its midnight in
-- the centre's time zone), inquiry type, channel, metric
-- and bucket, how many inquiries. Metrics: first_response and resolution (bucket = duration in
-- logarithmic steps, eight per doubling), sla (1 met, 0 missed), csat (score 1-5), voc (category
-- index). Kept up to date by the app in the same transaction as the inquiry change; the app fills
-- it from the inquiries on first start after this migration (the buckets are computed in Rust).
CREATE TABLE service_rollups (
    day_at      BIGINT NOT NULL,
    type_id     INTEGER NOT NULL REFERENCES inquiry_types (id),
    channel     TEXT NOT NULL,
    metric      TEXT NOT NULL CHECK (metric IN ('first_response', 'resolution', 'sla', 'csat', 'voc')),
    bucket      INTEGER NOT NULL,
    n           BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT service_rollups_key PRIMARY KEY (day_at, type_id, channel, metric, bucket)
);
CREATE INDEX service_rollups_type ON service_rollups (type_id);
-- VOC over time reads one metric across a range of days
CREATE INDEX service_rollups_metric_day ON service_rollups (metric, day_at);
-- "unanswered past target" counts waiting inquiries of a date range: few, whatever the total
CREATE INDEX inquiries_status_created ON inquiries (status, created_at);
-- reports sum a range of days: a covering index reads them without visiting the table
CREATE INDEX service_rollups_report ON service_rollups (day_at, type_id, metric, bucket, n);
