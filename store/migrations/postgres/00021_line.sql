-- LINE (issue 12): each studio's own LINE Official Account (channel id and
-- sealed secret, an opaque id for its webhook URL), the one-time codes a
-- client sends to link, the links (studio, client email) ↔ LINE userId, and
-- the LINE messages sent beside client emails (retry key fixed at enqueue).
-- PostgreSQL. Keep in step with ../sqlite/00021_line.sql.

-- +goose Up
CREATE TABLE line_accounts (
    workspace_id   TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    hook_id        TEXT NOT NULL UNIQUE,
    channel_id     TEXT NOT NULL,
    secret_sealed  TEXT NOT NULL,
    bot_user_id    TEXT NOT NULL DEFAULT '',
    basic_id       TEXT NOT NULL DEFAULT '',
    display_name   TEXT NOT NULL DEFAULT '',
    updated_at     BIGINT NOT NULL
);
CREATE TABLE line_codes (
    hash         TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    email        TEXT NOT NULL,
    language     TEXT NOT NULL DEFAULT '',
    expires_at   BIGINT NOT NULL
);
CREATE TABLE line_links (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    email        TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    following    BOOLEAN NOT NULL DEFAULT TRUE,
    linked_at    BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, email)
);
CREATE INDEX line_links_user ON line_links (workspace_id, user_id);
CREATE TABLE line_messages (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    booking_id   TEXT NOT NULL DEFAULT '',
    kind         TEXT NOT NULL,
    email        TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    retry_key    TEXT NOT NULL,
    body         TEXT NOT NULL,
    status       TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    sent_at      BIGINT
);
CREATE INDEX line_messages_ws ON line_messages (workspace_id, created_at);

-- +goose Down
DROP TABLE line_messages;
DROP TABLE line_links;
DROP TABLE line_codes;
DROP TABLE line_accounts;
