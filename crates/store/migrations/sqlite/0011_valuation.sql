-- Reference price determination (参考价, DOMAIN §6): one row per determination of an asset's
-- price. `state` is the JSON of the folded domain `Valuation` (its events are in the event log
-- under subject `valuation:<id>`); status, method, price and validity are copied out of it to
-- list and filter on. `version` makes every command an optimistic update.
CREATE TABLE valuations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id      BIGINT NOT NULL REFERENCES cases (id),
    asset_id     BIGINT NOT NULL REFERENCES assets (id),
    court_id     TEXT NOT NULL,
    -- the seizure or detention (查封/扣押) whose property is priced
    measure_id   BIGINT NOT NULL REFERENCES measures (id),
    -- in_progress until a method gives a price, then determined
    status       TEXT NOT NULL CHECK (status IN ('in_progress', 'determined')),
    method       TEXT NOT NULL,
    price_fen    BIGINT,
    valid_until  TEXT,
    -- objections filed so far (the ruling route names one by its number)
    objections   BIGINT NOT NULL DEFAULT 0,
    state        TEXT NOT NULL,
    version      BIGINT NOT NULL,
    created_by   BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
-- At most one determination in progress per asset. The start command also checks inside its
-- transaction (with the case locked), but on PostgreSQL two transactions could both see no
-- open row before either inserts; the index makes the second insert fail whatever the
-- isolation level, so the rule holds in storage, not only in code.
CREATE UNIQUE INDEX valuations_one_open ON valuations (asset_id) WHERE status = 'in_progress';
CREATE INDEX valuations_asset ON valuations (asset_id, id);
CREATE INDEX valuations_case ON valuations (case_id, id);
