-- Complaints (执行信访) and hotline reports against a case, with the working-day deadlines of
-- the rule book (DOMAIN §11), and recordings (on-site body-camera video, hotline audio).
--
-- A complaint keeps its dates as columns — received, registered, due to register, due to
-- resolve, resolved — so that the overdue sweep reads an index and the indicator rollups can
-- count registrations and resolutions in time without folding events.
--
-- Recordings are large (hours of video): their bytes live in files under the configured
-- recordings directory, named by `storage_key`; the row carries the size and the SHA-256 the
-- upload computed, which the audit chain carries too. Rows are never changed or deleted.

CREATE TABLE complaints (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id       BIGINT NOT NULL REFERENCES cases (id),
    court_id      TEXT NOT NULL,
    channel       TEXT NOT NULL CHECK (channel IN ('visit', 'letter', 'hotline', 'online')),
    complainant   TEXT NOT NULL,
    summary       TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('registered', 'resolved')),
    received_on   TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    register_due  TEXT NOT NULL,
    resolve_due   TEXT NOT NULL,
    resolved_on   TEXT,
    result        TEXT,
    registered_by BIGINT NOT NULL,
    resolved_by   BIGINT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX complaints_case ON complaints (case_id, id);
CREATE INDEX complaints_court ON complaints (court_id, status, id);
CREATE INDEX complaints_open_due ON complaints (resolve_due) WHERE status = 'registered';

CREATE TABLE recordings (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id      BIGINT NOT NULL REFERENCES cases (id),
    complaint_id BIGINT REFERENCES complaints (id),
    court_id     TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('body_camera', 'hotline', 'other')),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL CHECK (size > 0),
    sha256       TEXT NOT NULL,
    storage_key  TEXT NOT NULL UNIQUE,
    uploaded_by  BIGINT NOT NULL,
    uploaded_at  BIGINT NOT NULL
);
CREATE INDEX recordings_case ON recordings (case_id, id);
CREATE INDEX recordings_complaint ON recordings (complaint_id, id);

CREATE TRIGGER recordings_no_update BEFORE UPDATE ON recordings
BEGIN
    SELECT RAISE(ABORT, 'recordings are immutable');
END;
CREATE TRIGGER recordings_no_delete BEFORE DELETE ON recordings
BEGIN
    SELECT RAISE(ABORT, 'recordings are immutable');
END;
