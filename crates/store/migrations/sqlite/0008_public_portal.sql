-- The public side (公开查询): parties following their case with an access code, the throttle
-- on wrong codes, and court announcements.
--
-- Only a keyed hash of an access code is stored (HMAC-SHA256 under a subkey of the data key,
-- which never enters the database): a leaked table gives nothing to try codes against.
-- One live code per party; re-issuing replaces the row, so the old code stops working.
CREATE TABLE party_access_codes (
    case_id   BIGINT NOT NULL REFERENCES cases (id),
    party_no  BIGINT NOT NULL,
    code_hash TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    PRIMARY KEY (case_id, party_no)
);
CREATE INDEX party_access_codes_hash ON party_access_codes (case_id, code_hash);

-- Wrong codes per case number, like login_throttle per user name: the lock is on the case
-- number whether or not such a case exists, so it reveals nothing.
CREATE TABLE party_access_throttle (
    case_number     TEXT PRIMARY KEY,
    failures        BIGINT NOT NULL,
    last_failure_at BIGINT NOT NULL,
    locked_until    BIGINT
);

-- 法院公告: posted by officers and administrators, read by anyone.
CREATE TABLE announcements (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    court_id  TEXT NOT NULL REFERENCES courts (id),
    title     TEXT NOT NULL,
    body      TEXT NOT NULL,
    posted_by BIGINT NOT NULL REFERENCES users (id),
    posted_at BIGINT NOT NULL
);

-- The public list of 终本 cases pages through closed cases by closure mode.
CREATE INDEX cases_closure ON cases (closure_mode, closed_on, id);
