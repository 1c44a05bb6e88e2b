-- Bidders' deposits (竞买保证金) are booked in the case account as receipts of their own
-- source, held for the bidder until refunded, counted toward the price or forfeited.
ALTER TABLE fund_receipts DROP CONSTRAINT fund_receipts_source_check;
ALTER TABLE fund_receipts ADD CONSTRAINT fund_receipts_source_check
    CHECK (source IN ('deduction', 'voluntary', 'auction', 'auction_deposit'));
