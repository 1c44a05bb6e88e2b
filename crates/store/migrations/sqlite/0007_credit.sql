-- Credit discipline (DOMAIN §7): the dishonest-debtor list (失信被执行人名单) and consumption
-- restriction orders (限制消费令), as published. Both are projections of the case's events
-- (the case state is the record; these rows are what a public search reads).
--
-- The identifier is not copied: a row names its party (case_id, party_no), whose masked form
-- and encrypted value live in `parties`; `id_index` is the party's HMAC blind index, copied so
-- that the public search by name + ID number is one index lookup on rows in force.

CREATE TABLE credit_listings (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id        BIGINT NOT NULL REFERENCES cases (id),
    court_id       TEXT NOT NULL,
    no             BIGINT NOT NULL,
    party_no       BIGINT NOT NULL,
    name           TEXT NOT NULL,
    party_kind     TEXT NOT NULL CHECK (party_kind IN ('person', 'organisation')),
    legal_rep      TEXT,
    id_index       TEXT NOT NULL,
    case_number    TEXT NOT NULL,
    basis          TEXT NOT NULL,
    duty           TEXT NOT NULL,
    total_due_fen  BIGINT NOT NULL,
    grounds        TEXT NOT NULL,
    conduct        TEXT NOT NULL,
    listed_on      TEXT NOT NULL,
    ends_on        TEXT,
    status         TEXT NOT NULL CHECK (status IN ('listed', 'removed')),
    removal_trigger TEXT,
    removal_reason TEXT,
    removed_on     TEXT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    UNIQUE (case_id, no)
);
CREATE INDEX credit_listings_case ON credit_listings (case_id, no);
CREATE INDEX credit_listings_public ON credit_listings (name, id_index) WHERE status = 'listed';
CREATE INDEX credit_listings_ends ON credit_listings (ends_on) WHERE status = 'listed';

CREATE TABLE restriction_orders (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id        BIGINT NOT NULL REFERENCES cases (id),
    court_id       TEXT NOT NULL,
    no             BIGINT NOT NULL,
    party_no       BIGINT NOT NULL,
    name           TEXT NOT NULL,
    party_kind     TEXT NOT NULL CHECK (party_kind IN ('person', 'organisation')),
    legal_rep      TEXT,
    id_index       TEXT NOT NULL,
    case_number    TEXT NOT NULL,
    -- JSON arrays: the persons an organisation's order binds, the restricted kinds of spending
    bound_persons  TEXT NOT NULL,
    kinds          TEXT NOT NULL,
    reason         TEXT NOT NULL,
    listing_no     BIGINT,
    ordered_on     TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('in_force', 'lifted')),
    lifted_on      TEXT,
    lift_reason    TEXT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    UNIQUE (case_id, no)
);
CREATE INDEX restriction_orders_case ON restriction_orders (case_id, no);
CREATE INDEX restriction_orders_public ON restriction_orders (name, id_index) WHERE status = 'in_force';
