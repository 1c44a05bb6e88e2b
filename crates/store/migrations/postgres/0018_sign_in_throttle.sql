-- The sign-in throttle without a lock a stranger can aim (issue 16): failures are counted per
-- submitted account name (known or not, so that throttling reveals nothing), both from
-- everywhere (address '*') and per client address, and back off exponentially; the addresses
-- an account signed in from successfully are remembered, and failures from elsewhere never
-- hold up a sign-in from one of them.
CREATE TABLE sign_in_failures (
    username        TEXT NOT NULL,
    address         TEXT NOT NULL,
    failures        BIGINT NOT NULL,
    last_failure_at BIGINT NOT NULL,
    PRIMARY KEY (username, address)
);
CREATE INDEX sign_in_failures_last ON sign_in_failures (last_failure_at);

CREATE TABLE sign_in_addresses (
    user_id         BIGINT NOT NULL REFERENCES users (id),
    address         TEXT NOT NULL,
    last_success_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, address)
);

-- The hard lock it replaces.
DROP TABLE login_throttle;
