-- My bookings (我的預約): single-use links sent to a client's address and
-- the sessions they open, per studio; only hashes are stored. An index finds
-- a studio's bookings by the client's email. PostgreSQL.
-- Keep in step with ../sqlite/00019_client_tokens.sql.

-- +goose Up
CREATE TABLE client_tokens (
    hash         TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    email        TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX client_tokens_expiry ON client_tokens (expires_at);
CREATE INDEX bookings_client_email ON bookings (workspace_id, client_email, start_at);

-- +goose Down
DROP INDEX bookings_client_email;
DROP TABLE client_tokens;
