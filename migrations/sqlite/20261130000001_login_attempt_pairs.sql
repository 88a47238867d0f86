-- Login throttling per account and address pair, and pruning by age.
CREATE INDEX login_attempts_pair_at ON login_attempts (email_key, ip, at);
CREATE INDEX login_attempts_at ON login_attempts (at);
