-- Foundation: courts, users and sessions, the event log with its audit chain, the rule book.
-- Times are microseconds since the Unix epoch (UTC) in BIGINT; dates are ISO text.

CREATE TABLE courts (
    id            TEXT PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    level         TEXT NOT NULL CHECK (level IN ('supreme', 'high', 'intermediate', 'basic')),
    parent_id     TEXT REFERENCES courts (id),
    division_code TEXT,
    -- materialised path '/spc/h11/i1101/': a subtree is one prefix range
    path          TEXT NOT NULL UNIQUE
);
CREATE INDEX courts_parent ON courts (parent_id, id);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    court_id      TEXT NOT NULL REFERENCES courts (id),
    roles         TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    BIGINT NOT NULL
);
CREATE INDEX users_court ON users (court_id);

-- Failed logins per submitted username (known or not, so that locking reveals nothing).
CREATE TABLE login_throttle (
    username        TEXT PRIMARY KEY,
    failures        BIGINT NOT NULL,
    last_failure_at BIGINT NOT NULL,
    locked_until    BIGINT
);

-- Only the SHA-256 of a session token is stored: a database leak yields no usable token.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE events (
    seq       BIGINT PRIMARY KEY,
    at_us     BIGINT NOT NULL,
    actor     TEXT NOT NULL,
    court_id  TEXT,
    kind      TEXT NOT NULL,
    subject   TEXT NOT NULL,
    payload   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX events_subject ON events (subject, seq);
CREATE INDEX events_court ON events (court_id, seq);

-- The head of the chain: lets verification catch entries cut from the end, and serialises
-- appends (one row, locked for the length of a write transaction).
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE rule_versions (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    rule_id        TEXT NOT NULL,
    region         TEXT NOT NULL DEFAULT '',
    effective_from TEXT NOT NULL,
    body           TEXT NOT NULL,
    source         TEXT NOT NULL CHECK (source IN ('file', 'api')),
    UNIQUE (rule_id, region, effective_from)
);
