-- Two-factor sign-in: the user's sealed authenticator secret (and one being
-- set up), the last time step accepted, one-time recovery codes (hashed),
-- and each workspace's rule that its members use it.
-- SQLite. Keep in step with ../postgres/00010_two_factor.sql.

-- +goose Up
ALTER TABLE users ADD COLUMN totp_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_pending_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
CREATE TABLE recovery_codes (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash    TEXT NOT NULL,
    PRIMARY KEY (user_id, hash)
);
CREATE TABLE workspace_two_factor (
    workspace_id TEXT PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    required     INTEGER NOT NULL DEFAULT 0
);

-- +goose Down
DROP TABLE workspace_two_factor;
DROP TABLE recovery_codes;
ALTER TABLE users DROP COLUMN totp_last_step;
ALTER TABLE users DROP COLUMN totp_pending_sealed;
ALTER TABLE users DROP COLUMN totp_sealed;
