-- The meeting sync's own bookkeeping, one row per booking ever synced:
-- the lease that lets one sync run at a time work on a booking across
-- processes (owner, lease_until_ms: Unix milliseconds), the create in
-- flight and the creates whose answer never came (JSON daoyue.MeetingAttempt).
-- Keep in step with the other dialect's 00014_meeting_sync.sql.

-- +goose Up
CREATE TABLE meeting_syncs (
    booking_id     TEXT PRIMARY KEY REFERENCES bookings (id) ON DELETE CASCADE,
    owner          TEXT NOT NULL DEFAULT '',
    lease_until_ms BIGINT NOT NULL DEFAULT 0,
    in_flight      TEXT NOT NULL DEFAULT '',
    maybe_extra    TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE meeting_syncs;
