-- Supervision orders (督办) from a superior court to a court below it, with the replies and
-- decisions written on them; entrusted tasks (事项委托) from the court handling a case to
-- another court, with the documents returned.
--
-- Status columns move by conditional UPDATE (`WHERE status = <the status read>`), so two
-- concurrent commands on one row never both succeed. Notes and documents are never changed:
-- the audit chain names each note and each document's SHA-256.

CREATE TABLE supervisions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    issuer_court_id TEXT NOT NULL REFERENCES courts (id),
    target_court_id TEXT NOT NULL REFERENCES courts (id),
    -- A case of the target court, or NULL for an order about a problem.
    case_id         BIGINT REFERENCES cases (id),
    title           TEXT NOT NULL,
    instructions    TEXT NOT NULL,
    deadline        TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'replied', 'returned', 'closed')),
    -- Set once by the watch worker when the deadline passed with no reply; kept afterwards.
    escalated_at    BIGINT,
    issued_by       BIGINT NOT NULL,
    issued_at       BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX supervisions_issuer ON supervisions (issuer_court_id, id);
CREATE INDEX supervisions_target ON supervisions (target_court_id, id);
CREATE INDEX supervisions_case ON supervisions (case_id) WHERE case_id IS NOT NULL;
-- What the escalation step reads: unanswered, not yet escalated, by deadline.
CREATE INDEX supervisions_unanswered ON supervisions (deadline)
    WHERE status IN ('open', 'returned') AND escalated_at IS NULL;

CREATE TABLE supervision_notes (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    supervision_id BIGINT NOT NULL REFERENCES supervisions (id),
    no             BIGINT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('reply', 'return', 'close')),
    body           TEXT NOT NULL,
    court_id       TEXT NOT NULL,
    written_by     BIGINT NOT NULL,
    written_at     BIGINT NOT NULL,
    UNIQUE (supervision_id, no)
);

CREATE TABLE entrusted_tasks (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id        BIGINT NOT NULL REFERENCES cases (id),
    from_court_id  TEXT NOT NULL REFERENCES courts (id),
    to_court_id    TEXT NOT NULL REFERENCES courts (id),
    act            TEXT NOT NULL CHECK (act IN ('freeze', 'renew', 'deduct', 'seal', 'investigate', 'serve')),
    -- What the receiving court sees, copied at the request: the case number, the target and
    -- the respondents with masked identifiers (JSON) — never the case itself.
    case_number    TEXT NOT NULL,
    target         TEXT NOT NULL,
    instructions   TEXT NOT NULL,
    respondents    TEXT NOT NULL,
    requested_on   TEXT NOT NULL,
    due_on         TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('requested', 'accepted', 'declined', 'completed')),
    decline_reason TEXT,
    result         TEXT,
    requested_by   BIGINT NOT NULL,
    requested_at   BIGINT NOT NULL,
    answered_by    BIGINT,
    answered_at    BIGINT,
    completed_by   BIGINT,
    completed_at   BIGINT,
    -- Set once by the watch worker when the last day passed with the task still open.
    overdue_at     BIGINT,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX entrusted_tasks_case ON entrusted_tasks (case_id, id);
CREATE INDEX entrusted_tasks_from ON entrusted_tasks (from_court_id, id);
CREATE INDEX entrusted_tasks_to ON entrusted_tasks (to_court_id, id);
CREATE INDEX entrusted_tasks_open ON entrusted_tasks (due_on)
    WHERE status IN ('requested', 'accepted') AND overdue_at IS NULL;

-- Files in the database, as for field investigations (0006): a result and its documents
-- commit together, and a backup of the database is a backup of the documents.
CREATE TABLE entrusted_documents (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id      BIGINT NOT NULL REFERENCES entrusted_tasks (id),
    no           BIGINT NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png', 'video/mp4')),
    size         BIGINT NOT NULL CHECK (size > 0 AND size <= 10485760),
    sha256       TEXT NOT NULL,
    content      BLOB NOT NULL,
    UNIQUE (task_id, no)
);

CREATE TRIGGER supervision_notes_no_update BEFORE UPDATE ON supervision_notes
BEGIN
    SELECT RAISE(ABORT, 'supervision notes are immutable');
END;
CREATE TRIGGER supervision_notes_no_delete BEFORE DELETE ON supervision_notes
BEGIN
    SELECT RAISE(ABORT, 'supervision notes are immutable');
END;
CREATE TRIGGER entrusted_documents_no_update BEFORE UPDATE ON entrusted_documents
BEGIN
    SELECT RAISE(ABORT, 'entrusted task documents are immutable');
END;
CREATE TRIGGER entrusted_documents_no_delete BEFORE DELETE ON entrusted_documents
BEGIN
    SELECT RAISE(ABORT, 'entrusted task documents are immutable');
END;
