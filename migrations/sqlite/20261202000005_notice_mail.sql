-- Notices are published by admins (no longer only demo data), and may be mailed to the customers
-- who agreed to email: how many got it.
ALTER TABLE notices ADD COLUMN created_by INTEGER REFERENCES users (id);
ALTER TABLE notices ADD COLUMN mailed INTEGER NOT NULL DEFAULT 0;
