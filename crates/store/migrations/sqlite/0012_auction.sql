-- Online judicial auctions (网络司法拍卖), DOMAIN §6. An auction is event-sourced: its own log
-- (`auction_log`: announcement, registrations, deposits, accepted bids, close, payment) folds
-- into the domain's `Auction`, so a restart or another process replays it to the same state;
-- `auctions` keeps what lists and the worker need (status, the current end, the price) and a
-- version that every change bumps under the row's lock. Each change is also an audited event.
CREATE TABLE auctions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id       BIGINT NOT NULL REFERENCES cases (id),
    asset_id      BIGINT NOT NULL,
    court_id      TEXT NOT NULL,
    round         TEXT NOT NULL CHECK (round IN ('first', 'second', 'sell_off')),
    prior_id      BIGINT REFERENCES auctions (id),
    title         TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'sold', 'failed', 'paid', 'defaulted')),
    starts_at     BIGINT NOT NULL,
    ends_at       BIGINT NOT NULL,
    start_price   BIGINT NOT NULL,
    current_price BIGINT,
    bid_count     BIGINT NOT NULL,
    version       BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX auctions_case ON auctions (case_id, id);
CREATE INDEX auctions_open_end ON auctions (ends_at) WHERE status = 'open';
CREATE INDEX auctions_public ON auctions (status, starts_at, id);
-- One sale at a time of the same property: a new round is announced only after the last ended.
CREATE UNIQUE INDEX auctions_one_open_per_asset ON auctions (asset_id) WHERE status IN ('open', 'sold');

CREATE TABLE auction_log (
    auction_id BIGINT NOT NULL REFERENCES auctions (id),
    seq        BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    event      TEXT NOT NULL,
    at_us      BIGINT NOT NULL,
    PRIMARY KEY (auction_id, seq)
);

-- A bidder's credential for one auction: only a keyed hash of the token is kept.
CREATE TABLE auction_bidders (
    auction_id BIGINT NOT NULL REFERENCES auctions (id),
    bidder     TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (auction_id, bidder)
);
