-- Data sharing for joint discipline (联合惩戒, DOMAIN §7): agreements (数据共享协议) with partner
-- agencies, and the API keys bound to them.
--
-- An agreement covers the listings of its court and every court below it (`court_id`), and
-- names the fields the agency may receive (`fields`, a JSON array of the fixed vocabulary).
-- Only a keyed hash of an API key is stored (HMAC-SHA256 under a subkey of the data key, like
-- party access codes): a leaked table gives nothing to present to the feed. `prefix` is the
-- key's first characters, not secret, so that an administrator can tell keys apart.
CREATE TABLE sharing_agreements (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_name    TEXT NOT NULL,
    agency_code    TEXT NOT NULL,
    court_id       TEXT NOT NULL REFERENCES courts (id),
    fields         TEXT NOT NULL,
    legal_basis    TEXT NOT NULL,
    valid_from     TEXT NOT NULL,
    valid_to       TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('draft', 'active', 'revoked')),
    created_by     BIGINT NOT NULL REFERENCES users (id),
    created_at     BIGINT NOT NULL,
    approved_by    BIGINT REFERENCES users (id),
    approved_at    BIGINT,
    revoked_by     BIGINT REFERENCES users (id),
    revoked_at     BIGINT,
    revoke_reason  TEXT
);
CREATE INDEX sharing_agreements_court ON sharing_agreements (court_id, id);

CREATE TABLE sharing_keys (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    agreement_id  BIGINT NOT NULL REFERENCES sharing_agreements (id),
    key_hash      TEXT NOT NULL UNIQUE,
    prefix        TEXT NOT NULL,
    issued_by     BIGINT NOT NULL REFERENCES users (id),
    issued_at     BIGINT NOT NULL,
    revoked_at    BIGINT
);
CREATE INDEX sharing_keys_agreement ON sharing_keys (agreement_id, id);

-- The feed is derived from the event log (its `seq` is the cursor): the listing changes are a
-- sliver of all events, so a partial index walks only them, in order. Event sequence numbers
-- are assigned under the chain head's lock, held to commit, so a reader never sees seq N+1
-- before N has committed: a cursor never skips a change.
CREATE INDEX events_listing_feed ON events (seq)
    WHERE kind IN ('case.dishonest_listed', 'case.dishonest_extended', 'case.dishonest_amended', 'case.dishonest_removed');
