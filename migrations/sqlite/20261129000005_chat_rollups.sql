-- Hourly chat rollups (DESIGN 4): per UTC arrival hour and inquiry type, chats started, chats
-- an agent handled to the end, and the handling time (accepted -> ended) they took. The
-- staffing plan reads chat arrivals and the chat AHT from here. Kept up to date by the app.
CREATE TABLE chat_rollups (
    hour_at     BIGINT NOT NULL,
    type_id     INTEGER NOT NULL REFERENCES inquiry_types (id),
    arrivals    BIGINT NOT NULL DEFAULT 0,
    handled     BIGINT NOT NULL DEFAULT 0,
    handle_ms   BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT chat_rollups_key PRIMARY KEY (hour_at, type_id)
);
CREATE INDEX chat_rollups_type ON chat_rollups (type_id);

INSERT INTO chat_rollups (hour_at, type_id, arrivals, handled, handle_ms)
SELECT (created_at / 3600000) * 3600000, type_id, COUNT(*),
       SUM(CASE WHEN accepted_at IS NOT NULL AND ended_at IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN accepted_at IS NOT NULL AND ended_at IS NOT NULL AND ended_at > accepted_at THEN ended_at - accepted_at ELSE 0 END)
  FROM chats
 GROUP BY (created_at / 3600000) * 3600000, type_id;
