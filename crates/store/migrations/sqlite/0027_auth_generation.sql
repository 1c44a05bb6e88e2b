-- The generation of auth changes: bumped in every transaction that ends a session or
-- changes what one may do (logout, disable, roles, password reset or change). On SQLite,
-- which has no notifications, each process reads it before it trusts a session cached in
-- memory; PostgreSQL announces the same changes by NOTIFY and keeps the row for parity.
CREATE TABLE auth_generation (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO auth_generation (id, generation) VALUES (1, 0);
