-- A studio its owner deleted: hidden at once, purged (with everything of
-- it) by the periodic sweep. PostgreSQL. Keep in step with ../sqlite/00013_workspace_deletions.sql.

-- +goose Up
CREATE TABLE workspace_deletions (
    workspace_id TEXT PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    deleted_at   BIGINT NOT NULL
);

-- +goose Down
DROP TABLE workspace_deletions;
