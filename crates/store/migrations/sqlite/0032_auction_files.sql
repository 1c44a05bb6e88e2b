-- Photos and documents the court attaches to an auction (标的物照片、评估报告等), shown in
-- the public auction room. Kept like the other evidence files: the bytes with their kind
-- (by content, not by name), size and SHA-256, numbered within the auction.
CREATE TABLE auction_files (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    auction_id   BIGINT NOT NULL REFERENCES auctions (id),
    no           BIGINT NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size         BIGINT NOT NULL CHECK (size > 0 AND size <= 10485760),
    sha256       TEXT NOT NULL,
    content      BLOB NOT NULL,
    uploaded_by  BIGINT NOT NULL,
    uploaded_at  BIGINT NOT NULL,
    UNIQUE (auction_id, no)
);
