-- A customer has at most one open chat (waiting or active): the database says so, not only the
-- check in the transaction that starts one, so servers sharing a database cannot make two.
-- Should two ever have been made, the older ones end first (the newest is the one in use).
UPDATE chats
   SET status = 'ended', ended_at = COALESCE(ended_at, created_at)
 WHERE status <> 'ended'
   AND id NOT IN (SELECT MAX(id) FROM chats WHERE status <> 'ended' GROUP BY customer_id);
CREATE UNIQUE INDEX chats_one_open_per_customer ON chats (customer_id) WHERE status <> 'ended';
