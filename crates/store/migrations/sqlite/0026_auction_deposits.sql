-- Bidders' deposits (竞买保证金) are booked in the case account as receipts of their own
-- source, held for the bidder until refunded, counted toward the price or forfeited.
-- SQLite cannot change a CHECK: the table is rebuilt (nothing references it).
CREATE TABLE fund_receipts_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    court_id    TEXT NOT NULL,
    amount      BIGINT NOT NULL CHECK (amount > 0),
    source      TEXT NOT NULL CHECK (source IN ('deduction', 'voluntary', 'auction', 'auction_deposit')),
    reference   TEXT NOT NULL,
    note        TEXT NOT NULL,
    received_on TEXT NOT NULL,
    -- received_on plus the rule funds.payout in force that day, on a working day
    payout_due  TEXT NOT NULL,
    -- how much of this receipt has been paid out (transfers settle the oldest receipts first);
    -- a deposit is settled when booked: it is the bidder's, never on the payout clock
    settled     BIGINT NOT NULL DEFAULT 0 CHECK (settled >= 0 AND settled <= amount),
    entry_id    BIGINT NOT NULL REFERENCES fund_entries (id),
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    UNIQUE (case_id, source, reference)
);
INSERT INTO fund_receipts_new
    (id, case_id, court_id, amount, source, reference, note, received_on, payout_due, settled,
     entry_id, recorded_by, recorded_at)
SELECT id, case_id, court_id, amount, source, reference, note, received_on, payout_due, settled,
       entry_id, recorded_by, recorded_at
FROM fund_receipts;
DROP TABLE fund_receipts;
ALTER TABLE fund_receipts_new RENAME TO fund_receipts;
CREATE INDEX fund_receipts_open ON fund_receipts (payout_due, case_id) WHERE settled < amount;
