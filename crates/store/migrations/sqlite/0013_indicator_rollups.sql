-- Indicators of the command centre (DOMAIN §10), kept as sums so that a query at the SPC over
-- every case in the country reads a few hundred rows instead of millions of cases.
--
-- One row per (court, scope, month, case type): scope 'self' sums the court's own cases,
-- 'subtree' the court's and every court's below it. A change to a case adds the difference
-- of its contribution to its court's 'self' row and to the 'subtree' row of the court and
-- each ancestor, in the transaction that records the change (crates/domain/src/indicators.rs).
CREATE TABLE indicator_rollups (
    court_id  TEXT NOT NULL REFERENCES courts (id),
    scope     TEXT NOT NULL CHECK (scope IN ('self', 'subtree')),
    month     TEXT NOT NULL,
    case_type TEXT NOT NULL,
    filed                       BIGINT NOT NULL DEFAULT 0,
    filed_closed                BIGINT NOT NULL DEFAULT 0,
    closed                      BIGINT NOT NULL DEFAULT 0,
    closed_in_limit             BIGINT NOT NULL DEFAULT 0,
    with_property               BIGINT NOT NULL DEFAULT 0,
    with_property_in_limit      BIGINT NOT NULL DEFAULT 0,
    fully_performed             BIGINT NOT NULL DEFAULT 0,
    actual                      BIGINT NOT NULL DEFAULT 0,
    zhongben                    BIGINT NOT NULL DEFAULT 0,
    zhongben_compliant          BIGINT NOT NULL DEFAULT 0,
    days_to_close               BIGINT NOT NULL DEFAULT 0,
    amount_due                  BIGINT NOT NULL DEFAULT 0,
    amount_recovered            BIGINT NOT NULL DEFAULT 0,
    complaints                  BIGINT NOT NULL DEFAULT 0,
    complaints_resolved         BIGINT NOT NULL DEFAULT 0,
    complaints_resolved_in_time BIGINT NOT NULL DEFAULT 0,
    entrusted_sent              BIGINT NOT NULL DEFAULT 0,
    entrusted_received          BIGINT NOT NULL DEFAULT 0,
    entrusted_done              BIGINT NOT NULL DEFAULT 0,
    entrusted_done_in_time      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (court_id, scope, month, case_type)
);

-- Each case's current contribution (JSON of `CaseFacts`): what a change subtracts before it
-- adds the new one.
CREATE TABLE case_indicator_facts (
    case_id BIGINT PRIMARY KEY REFERENCES cases (id),
    facts   TEXT NOT NULL
);
