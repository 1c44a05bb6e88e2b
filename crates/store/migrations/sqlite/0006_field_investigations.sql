-- Traditional investigation (传统查控): field visits, searches, reward notices and audits, each
-- with its findings and up to five evidence files.
--
-- The files' bytes live in the database (BLOB here, BYTEA on PostgreSQL), not on a file
-- system: they are small evidence documents (scans, photos, short clips of at most 10 MiB),
-- so a backup of the database is a backup of the evidence, and a record and its files commit
-- or roll back together in one transaction — no orphan file, no record missing its file.
-- Records and files are never changed once written: the audit chain carries each file's
-- SHA-256, and a correction is a new record.

CREATE TABLE field_investigations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    court_id    TEXT NOT NULL,
    method      TEXT NOT NULL CHECK (method IN ('field_visit', 'search', 'reward_notice', 'audit')),
    on_date     TEXT NOT NULL,
    place       TEXT NOT NULL,
    findings    TEXT NOT NULL,
    recorded_by BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX field_investigations_case ON field_investigations (case_id, id);

CREATE TABLE field_attachments (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    investigation_id BIGINT NOT NULL REFERENCES field_investigations (id),
    case_id          BIGINT NOT NULL REFERENCES cases (id),
    court_id         TEXT NOT NULL,
    no               BIGINT NOT NULL,
    name             TEXT NOT NULL,
    content_type     TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png', 'video/mp4')),
    size             BIGINT NOT NULL CHECK (size > 0 AND size <= 10485760),
    sha256           TEXT NOT NULL,
    content          BLOB NOT NULL,
    UNIQUE (investigation_id, no)
);
CREATE INDEX field_attachments_case ON field_attachments (case_id, investigation_id);

CREATE TRIGGER field_investigations_no_update BEFORE UPDATE ON field_investigations
BEGIN
    SELECT RAISE(ABORT, 'field investigations are immutable');
END;
CREATE TRIGGER field_investigations_no_delete BEFORE DELETE ON field_investigations
BEGIN
    SELECT RAISE(ABORT, 'field investigations are immutable');
END;
CREATE TRIGGER field_attachments_no_update BEFORE UPDATE ON field_attachments
BEGIN
    SELECT RAISE(ABORT, 'field investigations are immutable');
END;
CREATE TRIGGER field_attachments_no_delete BEFORE DELETE ON field_attachments
BEGIN
    SELECT RAISE(ABORT, 'field investigations are immutable');
END;
