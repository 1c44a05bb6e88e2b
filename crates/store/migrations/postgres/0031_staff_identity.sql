-- The blind index (keyed hash) of a staff member's ID number, recorded by an administrator,
-- so that the court's own staff are refused as bidders in its auctions even when they
-- register anonymously on the public portal. Only the index is kept: the number itself is
-- not needed to match a registration, and what is not stored cannot leak.
ALTER TABLE users ADD COLUMN identity_key TEXT;
CREATE INDEX users_identity_key ON users (identity_key);
