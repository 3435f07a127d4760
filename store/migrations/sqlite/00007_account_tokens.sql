-- Single-use links about a person's account (a password reset), sent to
-- their own mailbox. Only the hash of the secret is stored.
-- SQLite. Keep in step with ../postgres/00007_account_tokens.sql.

-- +goose Up
CREATE TABLE account_tokens (
    hash       TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);

-- +goose Down
DROP TABLE account_tokens;
