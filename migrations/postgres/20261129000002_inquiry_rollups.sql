-- Hourly rollups of inquiries (DESIGN 4: reports read these, not the raw tables). One row per
-- UTC hour, inquiry type and channel; the app keeps them up to date as inquiries are created and
-- re-typed. Hours, weekdays and months in the centre's time zone are derived in Rust.
CREATE TABLE inquiry_rollups (
    hour_at         BIGINT NOT NULL,
    type_id         BIGINT NOT NULL REFERENCES inquiry_types (id),
    channel         TEXT NOT NULL,
    arrivals        BIGINT NOT NULL DEFAULT 0,
    auto_answered   BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT inquiry_rollups_key PRIMARY KEY (hour_at, type_id, channel)
);
CREATE INDEX inquiry_rollups_type ON inquiry_rollups (type_id);

INSERT INTO inquiry_rollups (hour_at, type_id, channel, arrivals, auto_answered)
SELECT (created_at / 3600000) * 3600000, type_id, channel, COUNT(*), SUM(CASE WHEN auto_template_id IS NULL THEN 0 ELSE 1 END)
  FROM inquiries
 GROUP BY (created_at / 3600000) * 3600000, type_id, channel;
