-- Review cases (执异, 执复, 执监; DOMAIN §4b): numbered like every case (the counters of
-- case_counters, their own type), linked to the enforcement case and the act or property they
-- challenge. `challenged` is the domain's Challenged as JSON; `asset_id` the asset it concerns,
-- resolved at filing, so that the disposal check finds the holds on an asset by index.
CREATE TABLE review_cases (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    court_id           TEXT NOT NULL REFERENCES courts (id),
    case_id            BIGINT NOT NULL REFERENCES cases (id),
    kind               TEXT NOT NULL CHECK (kind IN ('act_objection', 'outsider_objection', 'reconsideration', 'supervision')),
    number             TEXT NOT NULL UNIQUE,
    challenged         TEXT NOT NULL,
    asset_id           BIGINT REFERENCES assets (id),
    applicant          TEXT NOT NULL,
    grounds            TEXT NOT NULL,
    received_on        TEXT NOT NULL,
    -- the last day of examination (none for supervision, which the law does not limit)
    due_on             TEXT,
    extended_days      BIGINT NOT NULL DEFAULT 0,
    -- examining → ruled; an outsider's suit against a dismissal: ruled → suit → ended
    status             TEXT NOT NULL CHECK (status IN ('examining', 'ruled', 'suit', 'ended')),
    outcome            TEXT CHECK (outcome IN ('dismissed', 'revoked', 'corrected', 'property_suspended', 'order_correction')),
    ruling             TEXT,
    ruled_on           TEXT,
    -- the ruling (执行裁定书) as a document of the enforcement case, served like the others
    ruling_document_id BIGINT REFERENCES documents (id),
    security_recorded  BIGINT NOT NULL DEFAULT 0,
    suspension_ordered BIGINT NOT NULL DEFAULT 0,
    filed_by           BIGINT NOT NULL,
    filed_at           BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX review_cases_case ON review_cases (case_id, id);
CREATE INDEX review_cases_asset ON review_cases (asset_id) WHERE asset_id IS NOT NULL;
CREATE INDEX review_cases_due ON review_cases (due_on) WHERE status = 'examining';
