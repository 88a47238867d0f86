-- Sessions carry the epoch of their account at sign-in; a password change or disabling the
-- account moves it on, which ends every other session of the account at once.
ALTER TABLE users ADD COLUMN session_epoch BIGINT NOT NULL DEFAULT 0;
