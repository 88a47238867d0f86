-- Live chat (issue 6): read receipts per side, and the waiting queue read by group and status
-- in start order.
ALTER TABLE chats ADD COLUMN customer_read_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE chats ADD COLUMN agent_read_seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX chats_status_group ON chats (status, group_id, created_at);
