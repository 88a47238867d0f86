-- FAQ automation outcomes: what became of each automatic answer, which template an agent's reply
-- used, answers that spared an inquiry (deflections), and agents' proposals for new templates.

ALTER TABLE inquiries ADD COLUMN faq_outcome TEXT CHECK (faq_outcome IN ('solved', 'escalated', 'timed_out'));
CREATE INDEX inquiries_status_updated ON inquiries (status, updated_at);

ALTER TABLE inquiry_messages ADD COLUMN template_id INTEGER REFERENCES faq_templates (id);
CREATE INDEX inquiry_messages_template ON inquiry_messages (template_id);

CREATE TABLE faq_deflections (
    id              INTEGER PRIMARY KEY,
    template_id     INTEGER NOT NULL REFERENCES faq_templates (id),
    customer_id     INTEGER REFERENCES customers (id),
    at              BIGINT NOT NULL
);
CREATE INDEX faq_deflections_template ON faq_deflections (template_id, at);
CREATE INDEX faq_deflections_customer ON faq_deflections (customer_id);

CREATE TABLE faq_proposals (
    id              INTEGER PRIMARY KEY,
    inquiry_id      INTEGER NOT NULL REFERENCES inquiries (id),
    proposed_by     INTEGER NOT NULL REFERENCES users (id),
    type_id         INTEGER NOT NULL REFERENCES inquiry_types (id),
    language        TEXT NOT NULL CHECK (language IN ('ko', 'en')),
    question        TEXT NOT NULL,
    answer          TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by      INTEGER REFERENCES users (id),
    decided_at      BIGINT,
    template_id     INTEGER REFERENCES faq_templates (id),
    created_at      BIGINT NOT NULL
);
CREATE INDEX faq_proposals_status ON faq_proposals (status, created_at);
CREATE INDEX faq_proposals_inquiry ON faq_proposals (inquiry_id);
CREATE INDEX faq_proposals_proposed_by ON faq_proposals (proposed_by);
CREATE INDEX faq_proposals_decided_by ON faq_proposals (decided_by);
CREATE INDEX faq_proposals_type ON faq_proposals (type_id);
CREATE INDEX faq_proposals_template ON faq_proposals (template_id);
