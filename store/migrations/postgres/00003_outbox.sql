-- Client notifications: the outbox of composed emails, and what a booking
-- needs for its later emails. PostgreSQL. Keep in step with ../sqlite/00003_outbox.sql.

-- +goose Up
-- The manage-link secret sealed with the keyring (only its hash was kept
-- before), the message held until the meeting sync settles, and the
-- SEQUENCE of the next calendar update sent to the client.
ALTER TABLE bookings ADD COLUMN manage_token_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE bookings ADD COLUMN mail_waiting TEXT NOT NULL DEFAULT '';
ALTER TABLE bookings ADD COLUMN calendar_seq INTEGER NOT NULL DEFAULT 0;

-- One email to a client, composed in the transaction of the change it
-- reports. seq orders the list (newest first). booking_id is no foreign
-- key: the message stays when the sandbox reset deletes its booking.
-- Bodies hold a placeholder where the manage-link secret goes.
CREATE TABLE outbox (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    booking_id   TEXT NOT NULL DEFAULT '',
    kind         TEXT NOT NULL,
    language     TEXT NOT NULL,
    from_name    TEXT NOT NULL DEFAULT '',
    recipient    TEXT NOT NULL,
    subject      TEXT NOT NULL,
    body_text    TEXT NOT NULL,
    body_html    TEXT NOT NULL DEFAULT '',
    ics          TEXT NOT NULL DEFAULT '',
    ics_method   TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    sent_at      BIGINT
);
CREATE INDEX outbox_workspace ON outbox (workspace_id, seq);

-- +goose Down
DROP TABLE outbox;
ALTER TABLE bookings DROP COLUMN calendar_seq;
ALTER TABLE bookings DROP COLUMN mail_waiting;
ALTER TABLE bookings DROP COLUMN manage_token_sealed;
