-- The case account (一案一账号): a double-entry journal per case (entries and their postings,
-- in fen, never changed once written), the receipts that brought money in (one per case,
-- source and reference: a repeated institution reply never books a receipt twice), and the
-- payouts to applicants (proposed → approved → paid, or rejected).

CREATE TABLE fund_entries (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id   BIGINT NOT NULL REFERENCES cases (id),
    court_id  TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('receipt', 'allocation', 'transfer')),
    memo      TEXT NOT NULL,
    posted_on TEXT NOT NULL,
    posted_at BIGINT NOT NULL,
    posted_by TEXT NOT NULL
);
CREATE INDEX fund_entries_case ON fund_entries (case_id, id);

CREATE TABLE fund_postings (
    entry_id BIGINT NOT NULL REFERENCES fund_entries (id),
    line     BIGINT NOT NULL,
    case_id  BIGINT NOT NULL REFERENCES cases (id),
    account  TEXT NOT NULL,
    debit    BIGINT NOT NULL,
    credit   BIGINT NOT NULL,
    CHECK ((debit > 0 AND credit = 0) OR (debit = 0 AND credit > 0)),
    PRIMARY KEY (entry_id, line)
);
CREATE INDEX fund_postings_case ON fund_postings (case_id, entry_id);

-- The journal is append-only: a mistake is corrected by a new entry, never by rewriting one.
CREATE TRIGGER fund_entries_no_update BEFORE UPDATE ON fund_entries
BEGIN
    SELECT RAISE(ABORT, 'journal entries are immutable');
END;
CREATE TRIGGER fund_entries_no_delete BEFORE DELETE ON fund_entries
BEGIN
    SELECT RAISE(ABORT, 'journal entries are immutable');
END;
CREATE TRIGGER fund_postings_no_update BEFORE UPDATE ON fund_postings
BEGIN
    SELECT RAISE(ABORT, 'journal entries are immutable');
END;
CREATE TRIGGER fund_postings_no_delete BEFORE DELETE ON fund_postings
BEGIN
    SELECT RAISE(ABORT, 'journal entries are immutable');
END;

CREATE TABLE fund_receipts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    court_id    TEXT NOT NULL,
    amount      BIGINT NOT NULL CHECK (amount > 0),
    source      TEXT NOT NULL CHECK (source IN ('deduction', 'voluntary', 'auction')),
    reference   TEXT NOT NULL,
    note        TEXT NOT NULL,
    received_on TEXT NOT NULL,
    -- received_on plus the rule funds.payout in force that day, on a working day
    payout_due  TEXT NOT NULL,
    -- how much of this receipt has been paid out (transfers settle the oldest receipts first)
    settled     BIGINT NOT NULL DEFAULT 0 CHECK (settled >= 0 AND settled <= amount),
    entry_id    BIGINT NOT NULL REFERENCES fund_entries (id),
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    UNIQUE (case_id, source, reference)
);
-- The alerts scan: receipts with money still held, by due date.
CREATE INDEX fund_receipts_open ON fund_receipts (payout_due, case_id) WHERE settled < amount;

CREATE TABLE fund_payouts (
    case_id            BIGINT NOT NULL REFERENCES cases (id),
    no                 BIGINT NOT NULL,
    court_id           TEXT NOT NULL,
    party_no           BIGINT NOT NULL,
    amount             BIGINT NOT NULL CHECK (amount > 0),
    status             TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected', 'paid')),
    note               TEXT NOT NULL,
    -- required when proposed after the payout limit of money held had passed
    delay_reason       TEXT,
    -- the claim's rank when the payout comes from a distribution (参与分配)
    claim_rank         TEXT,
    proposed_by        TEXT NOT NULL,
    proposed_on        TEXT NOT NULL,
    proposed_at        BIGINT NOT NULL,
    decided_by         TEXT,
    decided_on         TEXT,
    decision_reason    TEXT,
    allocation_entry   BIGINT REFERENCES fund_entries (id),
    transfer_reference TEXT,
    paid_by            TEXT,
    paid_on            TEXT,
    transfer_entry     BIGINT REFERENCES fund_entries (id),
    PRIMARY KEY (case_id, no)
);
