-- A registration's outcome is told only to the holder of its token (no oracle on the public
-- side): a refused registration keeps its token and the reason, with no paddle. Accepted
-- registrations keep the name and the identifier's blind index they were made under, so a
-- later registration with the same identifier and another name is caught.
ALTER TABLE auction_bidders ADD COLUMN refused_code TEXT;
ALTER TABLE auction_bidders ADD COLUMN identity_key TEXT;
ALTER TABLE auction_bidders ADD COLUMN real_name TEXT;
CREATE INDEX auction_bidders_identity ON auction_bidders (identity_key);
