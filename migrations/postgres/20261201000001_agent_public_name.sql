-- The name customers see for an agent (replies, live chat), apart from the account's name that
-- colleagues and admins see: customers never see a login handle. Existing agents start with
-- their account name up to a " (handle)" suffix (the demo data's "한상담 (agent1)").
ALTER TABLE agents ADD COLUMN public_name TEXT NOT NULL DEFAULT '';
UPDATE agents SET public_name = (
    SELECT TRIM(CASE WHEN strpos(u.display_name, ' (') > 0 THEN substr(u.display_name, 1, strpos(u.display_name, ' (') - 1)
                     ELSE u.display_name END)
    FROM users u WHERE u.id = agents.user_id
);
