-- Zoom: connections, pending authorizations, meeting state on bookings and
-- processed webhook deliveries. SQLite. Keep in step with ../postgres/00002_zoom.sql.

-- +goose Up
-- A practitioner's authorization of DaoYue in Zoom. One per practitioner;
-- a Zoom user is bound to one practitioner across all workspaces. Tokens
-- are sealed by package secret. refresh_lease_until (NULL: free) is the
-- lease that serialises token refreshes (ClaimZoomRefresh); the upsert of
-- PutZoomConnection never writes it.
CREATE TABLE zoom_connections (
    id                  TEXT PRIMARY KEY,
    workspace_id        TEXT NOT NULL,
    practitioner_id     TEXT NOT NULL UNIQUE,
    zoom_user_id        TEXT NOT NULL UNIQUE,
    zoom_account_id     TEXT NOT NULL DEFAULT '',
    account_label       TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL,
    is_default          BOOLEAN NOT NULL DEFAULT 0,
    access_sealed       TEXT NOT NULL DEFAULT '',
    refresh_sealed      TEXT NOT NULL DEFAULT '',
    expires_at          BIGINT NOT NULL,
    api_url             TEXT NOT NULL DEFAULT '',
    scope               TEXT NOT NULL DEFAULT '',
    refresh_lease_until BIGINT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    FOREIGN KEY (workspace_id, practitioner_id) REFERENCES practitioners (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX zoom_connections_workspace ON zoom_connections (workspace_id);

-- A pending Zoom authorization, by the hash of its state. An install
-- (kind 'install') has no workspace, practitioner or user yet: ''.
CREATE TABLE oauth_states (
    hash            TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    workspace_id    TEXT NOT NULL DEFAULT '',
    practitioner_id TEXT NOT NULL DEFAULT '',
    user_id         TEXT NOT NULL DEFAULT '',
    payload_sealed  TEXT NOT NULL DEFAULT '',
    expires_at      BIGINT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX oauth_states_expires ON oauth_states (expires_at);

-- daoyue.Meeting. meeting_connection_id is no foreign key: the meeting
-- stays addressable in the account that holds it after a disconnect.
ALTER TABLE bookings ADD COLUMN meeting_status TEXT NOT NULL DEFAULT 'none';
ALTER TABLE bookings ADD COLUMN meeting_note TEXT NOT NULL DEFAULT '';
ALTER TABLE bookings ADD COLUMN meeting_zoom_id BIGINT NOT NULL DEFAULT 0; -- 0: no meeting in Zoom
ALTER TABLE bookings ADD COLUMN meeting_join_url TEXT NOT NULL DEFAULT '';
ALTER TABLE bookings ADD COLUMN meeting_passcode TEXT NOT NULL DEFAULT '';
ALTER TABLE bookings ADD COLUMN meeting_connection_id TEXT NOT NULL DEFAULT '';
ALTER TABLE bookings ADD COLUMN meeting_zoom_user_id TEXT NOT NULL DEFAULT '';
ALTER TABLE bookings ADD COLUMN meeting_start BIGINT;
ALTER TABLE bookings ADD COLUMN meeting_duration_min INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bookings ADD COLUMN meeting_recreated BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE bookings ADD COLUMN meeting_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE bookings ADD COLUMN meeting_synced_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE bookings ADD COLUMN meeting_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bookings ADD COLUMN meeting_last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE bookings ADD COLUMN meeting_updated_at BIGINT;
CREATE INDEX bookings_meeting_zoom_user ON bookings (meeting_zoom_user_id);
-- OutOfSyncBookings: only the few rows behind are in this index, in the
-- order the query wants (its WHERE repeats the index's condition exactly).
CREATE INDEX bookings_meeting_out_of_sync ON bookings (COALESCE(meeting_updated_at, updated_at), id)
    WHERE meeting_version > meeting_synced_version;

-- Webhook deliveries already handled, so that a provider's retries are
-- handled once. MarkWebhookEvent deletes keys older than 30 days.
CREATE TABLE webhook_events (
    key         TEXT PRIMARY KEY,
    received_at BIGINT NOT NULL
);
CREATE INDEX webhook_events_received ON webhook_events (received_at);

-- +goose Down
DROP TABLE webhook_events;
DROP INDEX bookings_meeting_out_of_sync;
DROP INDEX bookings_meeting_zoom_user;
ALTER TABLE bookings DROP COLUMN meeting_updated_at;
ALTER TABLE bookings DROP COLUMN meeting_last_error;
ALTER TABLE bookings DROP COLUMN meeting_attempts;
ALTER TABLE bookings DROP COLUMN meeting_synced_version;
ALTER TABLE bookings DROP COLUMN meeting_version;
ALTER TABLE bookings DROP COLUMN meeting_recreated;
ALTER TABLE bookings DROP COLUMN meeting_duration_min;
ALTER TABLE bookings DROP COLUMN meeting_start;
ALTER TABLE bookings DROP COLUMN meeting_zoom_user_id;
ALTER TABLE bookings DROP COLUMN meeting_connection_id;
ALTER TABLE bookings DROP COLUMN meeting_passcode;
ALTER TABLE bookings DROP COLUMN meeting_join_url;
ALTER TABLE bookings DROP COLUMN meeting_zoom_id;
ALTER TABLE bookings DROP COLUMN meeting_note;
ALTER TABLE bookings DROP COLUMN meeting_status;
DROP TABLE oauth_states;
DROP TABLE zoom_connections;
