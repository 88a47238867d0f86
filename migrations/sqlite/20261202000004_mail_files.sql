-- The files a mail carries: an agent's answer brings the files attached to it (the sender reads
-- them from the file store when it sends).
CREATE TABLE email_outbox_files (
    outbox_id       INTEGER NOT NULL REFERENCES email_outbox (id) ON DELETE CASCADE,
    attachment_id   INTEGER NOT NULL REFERENCES attachments (id),
    PRIMARY KEY (outbox_id, attachment_id)
);
