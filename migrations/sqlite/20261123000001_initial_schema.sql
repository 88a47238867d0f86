-- The domain model of DESIGN section 2. Timestamps are UTC milliseconds set by the app.
-- Written in SQL that both SQLite and PostgreSQL accept.

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    email           TEXT NOT NULL,
    -- lower-cased email: the unique key, so uniqueness is case-insensitive
    email_key       TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('customer', 'agent', 'admin')),
    display_name    TEXT NOT NULL,
    locale          TEXT NOT NULL DEFAULT 'ko' CHECK (locale IN ('ko', 'en')),
    disabled        INTEGER NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    CONSTRAINT users_email_key_unique UNIQUE (email_key)
);

-- Failed and successful logins, for per-account and per-address throttling.
CREATE TABLE login_attempts (
    id          INTEGER PRIMARY KEY,
    email_key   TEXT NOT NULL,
    ip          TEXT NOT NULL,
    succeeded   INTEGER NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX login_attempts_email_at ON login_attempts (email_key, at);
CREATE INDEX login_attempts_ip_at ON login_attempts (ip, at);

CREATE TABLE customers (
    id                  INTEGER PRIMARY KEY,
    user_id             INTEGER NOT NULL REFERENCES users (id),
    -- the unified customer number shown to people: C + 7 digits
    customer_no         TEXT NOT NULL,
    name                TEXT NOT NULL,
    phone               TEXT,
    postal_code         TEXT,
    address_line1       TEXT,
    address_line2       TEXT,
    grade               TEXT NOT NULL DEFAULT 'new' CHECK (grade IN ('vip', 'gold', 'general', 'new')),
    watch_flag          INTEGER NOT NULL DEFAULT 0,
    watch_reason        TEXT,
    email_consent       INTEGER NOT NULL DEFAULT 0,
    email_consent_at    BIGINT,
    sms_consent         INTEGER NOT NULL DEFAULT 0,
    sms_consent_at      BIGINT,
    -- JSON list of panel ids in display order
    dashboard_layout    TEXT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    CONSTRAINT customers_user_unique UNIQUE (user_id),
    CONSTRAINT customers_customer_no_unique UNIQUE (customer_no)
);
CREATE INDEX customers_name ON customers (name);
CREATE INDEX customers_phone ON customers (phone);

CREATE TABLE agent_groups (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL,
    name_ko     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    -- supervisors' group receives watch-flagged customers
    is_supervisors INTEGER NOT NULL DEFAULT 0,
    push_mode   INTEGER NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    CONSTRAINT agent_groups_code_unique UNIQUE (code)
);

CREATE TABLE agents (
    user_id     INTEGER PRIMARY KEY REFERENCES users (id),
    chat_limit  INTEGER NOT NULL DEFAULT 3 CHECK (chat_limit BETWEEN 0 AND 50),
    presence    TEXT NOT NULL DEFAULT 'offline' CHECK (presence IN ('online', 'away', 'offline')),
    presence_at BIGINT,
    -- weekly roster as JSON (issue: staffing plan)
    shifts      TEXT
);

CREATE TABLE agent_memberships (
    agent_user_id   INTEGER NOT NULL REFERENCES users (id),
    group_id        INTEGER NOT NULL REFERENCES agent_groups (id),
    PRIMARY KEY (agent_user_id, group_id)
);
CREATE INDEX agent_memberships_group ON agent_memberships (group_id);

CREATE TABLE inquiry_types (
    id                      INTEGER PRIMARY KEY,
    code                    TEXT NOT NULL,
    name_ko                 TEXT NOT NULL,
    name_en                 TEXT NOT NULL,
    group_id                INTEGER NOT NULL REFERENCES agent_groups (id),
    first_response_target_s BIGINT NOT NULL CHECK (first_response_target_s > 0),
    auto_answer             INTEGER NOT NULL DEFAULT 1,
    auto_answer_threshold   DOUBLE PRECISION NOT NULL DEFAULT 0.9,
    sort_order              INTEGER NOT NULL DEFAULT 0,
    retired                 INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT inquiry_types_code_unique UNIQUE (code)
);
CREATE INDEX inquiry_types_group ON inquiry_types (group_id);

CREATE TABLE faq_templates (
    id              INTEGER PRIMARY KEY,
    type_id         INTEGER NOT NULL REFERENCES inquiry_types (id),
    language        TEXT NOT NULL CHECK (language IN ('ko', 'en')),
    -- the current revision's content, denormalised for fast reads
    question        TEXT NOT NULL,
    -- JSON list of alternative phrasings
    alternatives    TEXT NOT NULL DEFAULT '[]',
    answer          TEXT NOT NULL,
    current_revision INTEGER NOT NULL DEFAULT 1,
    retired         INTEGER NOT NULL DEFAULT 0,
    hits            BIGINT NOT NULL DEFAULT 0,
    solved          BIGINT NOT NULL DEFAULT 0,
    escalations     BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX faq_templates_type ON faq_templates (type_id);

CREATE TABLE faq_revisions (
    id              INTEGER PRIMARY KEY,
    template_id     INTEGER NOT NULL REFERENCES faq_templates (id),
    revision        INTEGER NOT NULL,
    question        TEXT NOT NULL,
    alternatives    TEXT NOT NULL,
    answer          TEXT NOT NULL,
    type_id         INTEGER NOT NULL REFERENCES inquiry_types (id),
    language        TEXT NOT NULL,
    edited_by       INTEGER REFERENCES users (id),
    edited_at       BIGINT NOT NULL,
    CONSTRAINT faq_revisions_unique UNIQUE (template_id, revision)
);
CREATE INDEX faq_revisions_edited_by ON faq_revisions (edited_by);
CREATE INDEX faq_revisions_type ON faq_revisions (type_id);

CREATE TABLE orders (
    id              INTEGER PRIMARY KEY,
    customer_id     INTEGER NOT NULL REFERENCES customers (id),
    order_no        TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('placed', 'paid', 'shipped', 'delivered', 'cancelled', 'returned')),
    total_won       BIGINT NOT NULL CHECK (total_won >= 0),
    ship_name       TEXT NOT NULL,
    ship_phone      TEXT,
    ship_postal_code TEXT,
    ship_address1   TEXT,
    ship_address2   TEXT,
    placed_at       BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    CONSTRAINT orders_order_no_unique UNIQUE (order_no)
);
CREATE INDEX orders_customer_placed ON orders (customer_id, placed_at);
CREATE INDEX orders_customer_status ON orders (customer_id, status, placed_at);

CREATE TABLE order_items (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    product_name    TEXT NOT NULL,
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_won  BIGINT NOT NULL CHECK (unit_price_won >= 0)
);
CREATE INDEX order_items_order ON order_items (order_id);

CREATE TABLE order_events (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders (id),
    status      TEXT NOT NULL,
    at          BIGINT NOT NULL,
    note        TEXT
);
CREATE INDEX order_events_order_at ON order_events (order_id, at);

CREATE TABLE inquiries (
    id                  INTEGER PRIMARY KEY,
    customer_id         INTEGER NOT NULL REFERENCES customers (id),
    type_id             INTEGER NOT NULL REFERENCES inquiry_types (id),
    order_id            INTEGER REFERENCES orders (id),
    subject             TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('new', 'auto_answered', 'open', 'waiting_customer', 'resolved', 'closed')),
    priority            INTEGER NOT NULL DEFAULT 0,
    channel             TEXT NOT NULL DEFAULT 'web' CHECK (channel IN ('web', 'chat', 'email', 'phone')),
    group_id            INTEGER NOT NULL REFERENCES agent_groups (id),
    assigned_agent_id   INTEGER REFERENCES users (id),
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    first_response_at   BIGINT,
    resolved_at         BIGINT,
    closed_at           BIGINT,
    sla_due_at          BIGINT NOT NULL,
    csat                INTEGER CHECK (csat BETWEEN 1 AND 5),
    csat_comment        TEXT,
    auto_template_id    INTEGER REFERENCES faq_templates (id),
    auto_score          DOUBLE PRECISION,
    escalated           INTEGER NOT NULL DEFAULT 0,
    voc_category        TEXT CHECK (voc_category IN ('complaint', 'question', 'compliment', 'suggestion')),
    -- client-chosen key that makes a resent create idempotent
    idempotency_key     TEXT,
    CONSTRAINT inquiries_idempotency_unique UNIQUE (customer_id, idempotency_key)
);
CREATE INDEX inquiries_customer_created ON inquiries (customer_id, created_at);
CREATE INDEX inquiries_type ON inquiries (type_id);
CREATE INDEX inquiries_order ON inquiries (order_id);
CREATE INDEX inquiries_group_queue ON inquiries (group_id, status, sla_due_at);
CREATE INDEX inquiries_assigned ON inquiries (assigned_agent_id, status);
CREATE INDEX inquiries_auto_template ON inquiries (auto_template_id);
CREATE INDEX inquiries_created ON inquiries (created_at);

CREATE TABLE inquiry_messages (
    id              INTEGER PRIMARY KEY,
    inquiry_id      INTEGER NOT NULL REFERENCES inquiries (id),
    author_kind     TEXT NOT NULL CHECK (author_kind IN ('customer', 'agent', 'bot', 'system')),
    author_user_id  INTEGER REFERENCES users (id),
    body            TEXT NOT NULL,
    internal        INTEGER NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL
);
CREATE INDEX inquiry_messages_inquiry ON inquiry_messages (inquiry_id, created_at);
CREATE INDEX inquiry_messages_author ON inquiry_messages (author_user_id);

CREATE TABLE chats (
    id                  INTEGER PRIMARY KEY,
    customer_id         INTEGER NOT NULL REFERENCES customers (id),
    type_id             INTEGER NOT NULL REFERENCES inquiry_types (id),
    group_id            INTEGER NOT NULL REFERENCES agent_groups (id),
    agent_user_id       INTEGER REFERENCES users (id),
    status              TEXT NOT NULL CHECK (status IN ('waiting', 'active', 'ended')),
    created_at          BIGINT NOT NULL,
    accepted_at         BIGINT,
    ended_at            BIGINT,
    last_seq            BIGINT NOT NULL DEFAULT 0,
    csat                INTEGER CHECK (csat BETWEEN 1 AND 5),
    inquiry_id          INTEGER REFERENCES inquiries (id)
);
CREATE INDEX chats_customer ON chats (customer_id, created_at);
CREATE INDEX chats_type ON chats (type_id);
CREATE INDEX chats_group_status ON chats (group_id, status, created_at);
CREATE INDEX chats_agent ON chats (agent_user_id, status);
CREATE INDEX chats_inquiry ON chats (inquiry_id);

CREATE TABLE chat_messages (
    id                  INTEGER PRIMARY KEY,
    chat_id             INTEGER NOT NULL REFERENCES chats (id),
    seq                 BIGINT NOT NULL,
    author_kind         TEXT NOT NULL CHECK (author_kind IN ('customer', 'agent', 'system')),
    author_user_id      INTEGER REFERENCES users (id),
    client_msg_id       TEXT,
    body                TEXT NOT NULL,
    created_at          BIGINT NOT NULL,
    CONSTRAINT chat_messages_seq_unique UNIQUE (chat_id, seq),
    CONSTRAINT chat_messages_client_unique UNIQUE (chat_id, author_user_id, client_msg_id)
);
CREATE INDEX chat_messages_author ON chat_messages (author_user_id);

CREATE TABLE email_outbox (
    id              INTEGER PRIMARY KEY,
    customer_id     INTEGER REFERENCES customers (id),
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('transactional', 'marketing')),
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT
);
CREATE INDEX email_outbox_customer ON email_outbox (customer_id, created_at);
CREATE INDEX email_outbox_pending ON email_outbox (sent_at, created_at);

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    actor_user_id   INTEGER REFERENCES users (id),
    action          TEXT NOT NULL,
    entity          TEXT NOT NULL,
    entity_id       TEXT,
    before_json     TEXT,
    after_json      TEXT,
    at              BIGINT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, at);
CREATE INDEX audit_log_at ON audit_log (at);
