-- Invitations to join a workspace: the only way a person becomes a member
-- of a studio they did not create. SQLite. Keep in step with ../postgres/00004_invitations.sql.

-- +goose Up
-- token_hash finds the invitation from its link; token_sealed is the link's
-- secret encrypted with the keyring for the email job; message_id is the
-- outbox message carrying the current link (a resend replaces all three).
CREATE TABLE invitations (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    email        TEXT NOT NULL,
    role         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    token_sealed TEXT NOT NULL,
    message_id   TEXT NOT NULL DEFAULT '',
    invited_by   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    accepted_at  BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX invitations_workspace ON invitations (workspace_id, created_at);

-- +goose Down
DROP TABLE invitations;
