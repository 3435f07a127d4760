-- Throttle counters (sign-in attempts per email and address, per address),
-- kept in the database so that every instance counts the same attempts.
-- SQLite. Keep in step with ../postgres/00005_throttles.sql.

-- +goose Up
-- key holds no email in clear: sign-in keys are hashes.
CREATE TABLE throttles (
    key          TEXT PRIMARY KEY,
    hits         INTEGER NOT NULL,
    last_hit     BIGINT NOT NULL,
    next_allowed BIGINT NOT NULL
);
CREATE INDEX throttles_last_hit ON throttles (last_hit);

-- +goose Down
DROP TABLE throttles;
