-- Escalated automatic answers per rollup hour ("I still need a person"): the automation rate of
-- the staffing plan is (answered automatically - escalated) / arrivals.
ALTER TABLE inquiry_rollups ADD COLUMN escalated BIGINT NOT NULL DEFAULT 0;
UPDATE inquiry_rollups SET escalated = (
    SELECT COUNT(*) FROM inquiries i
     WHERE (i.created_at / 3600000) * 3600000 = inquiry_rollups.hour_at
       AND i.type_id = inquiry_rollups.type_id AND i.channel = inquiry_rollups.channel
       AND i.faq_outcome = 'escalated');
