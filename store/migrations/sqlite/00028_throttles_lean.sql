-- Every booking counts against five throttle keys (its address, its email,
-- its studio and, without the page's proof of work, two more), so each
-- write to this table is paid five times per submission, inside SQLite's
-- one writer. The table is rebuilt WITHOUT ROWID (the key is the table's
-- own b-tree: one b-tree written per hit instead of the table and its
-- primary-key index), and the index on last_hit, which no query reads,
-- is gone (it was a third b-tree written on every hit).
-- SQLite. Keep in step with ../postgres/00028_throttles_lean.sql.

-- +goose Up
CREATE TABLE throttles_lean (
    key          TEXT PRIMARY KEY,
    hits         INTEGER NOT NULL,
    last_hit     BIGINT NOT NULL,
    next_allowed BIGINT NOT NULL
) WITHOUT ROWID;
INSERT INTO throttles_lean (key, hits, last_hit, next_allowed) SELECT key, hits, last_hit, next_allowed FROM throttles;
DROP TABLE throttles;
ALTER TABLE throttles_lean RENAME TO throttles;

-- +goose Down
CREATE TABLE throttles_rowid (
    key          TEXT PRIMARY KEY,
    hits         INTEGER NOT NULL,
    last_hit     BIGINT NOT NULL,
    next_allowed BIGINT NOT NULL
);
INSERT INTO throttles_rowid (key, hits, last_hit, next_allowed) SELECT key, hits, last_hit, next_allowed FROM throttles;
DROP TABLE throttles;
ALTER TABLE throttles_rowid RENAME TO throttles;
CREATE INDEX throttles_last_hit ON throttles (last_hit);
