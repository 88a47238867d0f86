-- Mail about an inquiry (an agent's answer, later the automatic answer and the resolved notice):
-- the inquiry it belongs to, and the Message-ID of the inquiry's mail thread, which every such
-- mail names in In-Reply-To and References so mail clients show one conversation per inquiry.
ALTER TABLE email_outbox ADD COLUMN inquiry_id INTEGER REFERENCES inquiries (id) ON DELETE SET NULL;
ALTER TABLE email_outbox ADD COLUMN thread_id TEXT;
CREATE INDEX email_outbox_inquiry ON email_outbox (inquiry_id);
