-- Every booking counts against five throttle keys, so each write to this
-- table is paid five times per submission. The index on last_hit, which
-- no query reads, is gone: without it no indexed column changes on a hit,
-- so PostgreSQL updates the row in place (a HOT update) instead of adding
-- an entry to two indexes.
-- PostgreSQL. Keep in step with ../sqlite/00028_throttles_lean.sql.

-- +goose Up
DROP INDEX throttles_last_hit;

-- +goose Down
CREATE INDEX throttles_last_hit ON throttles (last_hit);
