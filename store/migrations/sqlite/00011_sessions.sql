-- Sessions and API tokens as the account page lists them: an id to name
-- one by (the hash never leaves the server), an API token's name, and when
-- and from where it was last used (for the idle timeout too).
-- SQLite. Keep in step with ../postgres/00011_sessions.sql.

-- +goose Up
ALTER TABLE auth_tokens ADD COLUMN id TEXT NOT NULL DEFAULT '';
ALTER TABLE auth_tokens ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE auth_tokens ADD COLUMN last_used_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE auth_tokens ADD COLUMN last_used_from TEXT NOT NULL DEFAULT '';
-- Tokens made before this migration get an id from their hash.
UPDATE auth_tokens SET id = 'at_' || substr(hash, 1, 16) WHERE id = '';
CREATE UNIQUE INDEX auth_tokens_id ON auth_tokens (id);

-- +goose Down
DROP INDEX auth_tokens_id;
ALTER TABLE auth_tokens DROP COLUMN last_used_from;
ALTER TABLE auth_tokens DROP COLUMN last_used_at;
ALTER TABLE auth_tokens DROP COLUMN name;
ALTER TABLE auth_tokens DROP COLUMN id;
