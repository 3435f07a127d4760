-- SQLite rebuilds its throttles table WITHOUT ROWID here (see
-- ../sqlite/00028_throttles_lean.sql). PostgreSQL has no rowid: its table
-- is already just the primary key's heap and index, so nothing changes.
-- The number is kept so both dialects' versions stay in step.
-- PostgreSQL. Keep in step with ../sqlite/00028_throttles_lean.sql.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
