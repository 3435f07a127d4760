-- Every booking counts against five throttle keys (its address, its email,
-- its studio and, without the page's proof of work, two more), so each
-- write to this table is paid five times per submission, inside SQLite's
-- one writer. The table is rebuilt WITHOUT ROWID: the key is the table's
-- own b-tree, so a hit writes it and the last_hit index (which the sweep's
-- DeleteStaleThrottles reads) instead of also a separate primary-key index.
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
CREATE INDEX throttles_last_hit ON throttles (last_hit);

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
