-- Four eyes on the rule book (issue 14): a new rule version or a year's official working-day
-- calendar is proposed by one administrator and takes effect only when another approves it.
-- `body` is the proposed rule version (JSON) or the calendar year's text (the format of
-- rules/calendar/YYYY.toml).
CREATE TABLE rule_proposals (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT NOT NULL CHECK (kind IN ('rule_version', 'calendar')),
    subject       TEXT NOT NULL,
    body          TEXT NOT NULL,
    court_id      TEXT NOT NULL REFERENCES courts (id),
    proposed_by   TEXT NOT NULL,
    proposed_at   BIGINT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by    TEXT,
    decided_at    BIGINT,
    note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX rule_proposals_pending ON rule_proposals (status, id);

-- The official calendars loaded after approval, one row per year (the shipped
-- rules/calendar/*.toml are compiled in and never stored here).
CREATE TABLE calendar_years (
    year        INTEGER PRIMARY KEY,
    body        TEXT NOT NULL,
    proposal_id BIGINT NOT NULL REFERENCES rule_proposals (id)
);

-- The court president's queue of extension requests (延长执行期限): the latest requests of a
-- court without reading all its events.
CREATE INDEX events_extension_requests ON events (court_id, seq) WHERE kind = 'case.extension_requested';
