-- The agent queue reads the top of each group's waiting inquiries, in queue order, straight from
-- this index: a busy Monday's 30,000 waiting cost the same as 30. `priority` is the rank of the
-- customer's grade (vip 3 … new 0), written when the inquiry is filed and kept in step when
-- grades are recomputed; rows filed before that was kept (the demo's) get it now.
UPDATE inquiries
   SET priority = (SELECT CASE c.grade WHEN 'vip' THEN 3 WHEN 'gold' THEN 2 WHEN 'general' THEN 1 ELSE 0 END
                     FROM customers c WHERE c.id = inquiries.customer_id)
 WHERE status IN ('new', 'open') AND assigned_agent_id IS NULL;
CREATE INDEX inquiries_waiting ON inquiries (group_id, priority DESC, sla_due_at, created_at, id)
 WHERE status IN ('new', 'open') AND assigned_agent_id IS NULL;
