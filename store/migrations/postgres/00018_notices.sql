-- Notices and reminders (issue 12): each member's choice of the notices
-- they get (only choices made are stored; the rest follow the role's
-- default), the daily notices already sent (agenda, Zoom re-authorization),
-- reminders scheduled before a confirmed booking's session, and each
-- service's reminder leads in minutes. PostgreSQL.
-- Keep in step with ../sqlite/00018_notices.sql.

-- +goose Up
CREATE TABLE notice_prefs (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    enabled      BOOLEAN NOT NULL,
    PRIMARY KEY (workspace_id, user_id, kind)
);
CREATE TABLE notices_sent (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    sent_at      BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, key)
);
CREATE TABLE reminders (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    booking_id   TEXT NOT NULL,
    minutes      INTEGER NOT NULL,
    due_at       BIGINT NOT NULL,
    sent_at      BIGINT
);
CREATE INDEX reminders_due ON reminders (due_at) WHERE sent_at IS NULL;
CREATE INDEX reminders_booking ON reminders (workspace_id, booking_id);
ALTER TABLE services ADD COLUMN reminders TEXT NOT NULL DEFAULT '1440,60';

-- +goose Down
ALTER TABLE services DROP COLUMN reminders;
DROP TABLE reminders;
DROP TABLE notices_sent;
DROP TABLE notice_prefs;
