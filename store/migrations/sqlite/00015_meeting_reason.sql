-- A booking's meeting keeps a typed reason (daoyue.MeetingReason) instead
-- of a message key: "meeting.note.syncing" becomes "syncing"; pages choose
-- the words. SQLite. Keep in step with ../postgres/00015_meeting_reason.sql.

-- +goose Up
UPDATE bookings SET meeting_note = substr(meeting_note, 14) WHERE meeting_note LIKE 'meeting.note.%';

-- +goose Down
UPDATE bookings SET meeting_note = 'meeting.note.' || meeting_note WHERE meeting_note <> '';
