-- Control measures on assets (freeze, seize, detain, deduct), their renewals and releases;
-- the alerts the workers raise; the purpose of an investigation (a case's own, or the
-- periodic re-investigation of a 终本 case).

ALTER TABLE outbox ADD COLUMN measure_id BIGINT;
ALTER TABLE investigations ADD COLUMN purpose TEXT NOT NULL DEFAULT 'case';
CREATE INDEX investigations_purpose ON investigations (purpose, case_id);

CREATE TABLE measures (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id         BIGINT NOT NULL REFERENCES cases (id),
    court_id        TEXT NOT NULL,
    asset_id        BIGINT NOT NULL REFERENCES assets (id),
    institution_id  TEXT NOT NULL REFERENCES institutions (id),
    kind            TEXT NOT NULL CHECK (kind IN ('freeze', 'seize', 'detain', 'deduct')),
    status          TEXT NOT NULL,
    -- what was asked, and what the institution holds (or deducted)
    amount_fen      BIGINT,
    held_fen        BIGINT,
    requested_until TEXT,
    -- the last day in effect, as the institution confirmed it
    until           TEXT,
    queue_position  BIGINT,
    reference       TEXT,
    request_id      TEXT NOT NULL UNIQUE,
    -- a renewal or release in flight: its message id and what it asks
    pending         TEXT CHECK (pending IN ('renew', 'release')),
    pending_id      TEXT,
    pending_until   TEXT,
    last_reason     TEXT,
    requested_by    BIGINT NOT NULL,
    requested_at    BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX measures_case ON measures (case_id, id);
CREATE INDEX measures_asset ON measures (asset_id);
CREATE INDEX measures_until ON measures (status, until);

CREATE TABLE alerts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    court_id   TEXT NOT NULL,
    case_id    BIGINT,
    kind       TEXT NOT NULL,
    -- what the alert is about (e.g. measure:12); one open alert per kind and subject
    subject    TEXT NOT NULL,
    message    TEXT NOT NULL,
    due_on     TEXT,
    raised_at  BIGINT NOT NULL,
    cleared_at BIGINT,
    UNIQUE (kind, subject)
);
CREATE INDEX alerts_court ON alerts (court_id, cleared_at, id);
