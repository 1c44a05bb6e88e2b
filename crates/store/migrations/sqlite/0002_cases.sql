-- Case handling: cases (state snapshot + columns to filter on), their parties (personal ID
-- numbers encrypted, found through a blind index), per-court gapless counters, documents.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE case_counters (
    court_id  TEXT NOT NULL REFERENCES courts (id),
    case_type TEXT NOT NULL,
    year      INTEGER NOT NULL,
    last      BIGINT NOT NULL,
    PRIMARY KEY (court_id, case_type, year)
);

CREATE TABLE cases (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    court_id     TEXT NOT NULL REFERENCES courts (id),
    case_type    TEXT NOT NULL,
    year         INTEGER NOT NULL,
    seq          BIGINT NOT NULL,
    number       TEXT NOT NULL UNIQUE,
    status       TEXT NOT NULL,
    closure_mode TEXT,
    officer_id   BIGINT REFERENCES users (id),
    filed_on     TEXT NOT NULL,
    closed_on    TEXT,
    -- the earliest open deadline; '9999-12-31' when none, so that sorting uses the index
    next_due     TEXT NOT NULL,
    total_due    BIGINT NOT NULL,
    paid         BIGINT NOT NULL,
    basis_doc    TEXT NOT NULL,
    resumed_from BIGINT REFERENCES cases (id),
    version      BIGINT NOT NULL,
    state        TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    UNIQUE (court_id, case_type, year, seq)
);
CREATE INDEX cases_court ON cases (court_id, id);
CREATE INDEX cases_court_status ON cases (court_id, status, id);
CREATE INDEX cases_court_due ON cases (court_id, next_due, id);
CREATE INDEX cases_officer_due ON cases (officer_id, next_due, id);
CREATE INDEX cases_basis ON cases (court_id, basis_doc);

CREATE TABLE parties (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    court_id    TEXT NOT NULL,
    no          INTEGER NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('applicant', 'respondent')),
    kind        TEXT NOT NULL CHECK (kind IN ('person', 'organisation')),
    name        TEXT NOT NULL,
    -- AES-256-GCM of the identifier (nonce ‖ ciphertext, hex)
    id_cipher   TEXT NOT NULL,
    -- HMAC-SHA256 of the identifier under a separate key: equality search without decrypting
    id_index    TEXT NOT NULL,
    id_shown    TEXT NOT NULL,
    legal_rep   TEXT,
    UNIQUE (case_id, no)
);
CREATE INDEX parties_name ON parties (name, case_id);
CREATE INDEX parties_index ON parties (id_index, case_id);

CREATE TABLE documents (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id    BIGINT NOT NULL REFERENCES cases (id),
    court_id   TEXT NOT NULL,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    html       TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX documents_case ON documents (case_id, id);

-- Issued documents are immutable.
CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents
BEGIN
    SELECT RAISE(ABORT, 'documents are immutable');
END;
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
BEGIN
    SELECT RAISE(ABORT, 'documents are immutable');
END;
