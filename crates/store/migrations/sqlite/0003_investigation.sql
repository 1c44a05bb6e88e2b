-- Online investigation and control: the institutions on the network, investigations, the
-- outbox of signed messages (sealed at rest: they carry ID numbers), the inbox of replies
-- (one row per applied message id: replays apply nothing), and the assets found.

CREATE TABLE institutions (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    measures    TEXT NOT NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('national', 'local')),
    region      TEXT NOT NULL DEFAULT '',
    endpoint    TEXT NOT NULL,
    public_key  TEXT NOT NULL,
    concurrency BIGINT NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  BIGINT NOT NULL
);

CREATE TABLE investigations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id      BIGINT NOT NULL REFERENCES cases (id),
    court_id     TEXT NOT NULL,
    requested_by BIGINT NOT NULL,
    requested_at BIGINT NOT NULL,
    messages     BIGINT NOT NULL
);
CREATE INDEX investigations_case ON investigations (case_id, id);

CREATE TABLE outbox (
    message_id       TEXT PRIMARY KEY,
    investigation_id BIGINT REFERENCES investigations (id),
    case_id          BIGINT NOT NULL REFERENCES cases (id),
    court_id         TEXT NOT NULL,
    institution_id   TEXT NOT NULL REFERENCES institutions (id),
    kind             TEXT NOT NULL,
    sealed           TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'replied', 'failed')),
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    lease_until      BIGINT,
    last_error       TEXT,
    replied_at       BIGINT,
    created_at       BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_investigation ON outbox (investigation_id, institution_id);

CREATE TABLE inbox (
    message_id     TEXT PRIMARY KEY,
    in_reply_to    TEXT NOT NULL,
    institution_id TEXT NOT NULL,
    received_at    BIGINT NOT NULL
);

CREATE TABLE assets (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id        BIGINT NOT NULL REFERENCES cases (id),
    court_id       TEXT NOT NULL,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    kind           TEXT NOT NULL,
    reference      TEXT NOT NULL,
    description    TEXT NOT NULL,
    value_fen      BIGINT,
    encumbrances   TEXT NOT NULL,
    found_by       TEXT NOT NULL,
    found_at       BIGINT NOT NULL,
    UNIQUE (case_id, institution_id, reference)
);
