-- Payments (issue 11): each attempt to pay for a booking through a provider
-- (bank transfer, ECPay, Stripe), and on the booking what is owed back and
-- what was refunded, in minor units of its price. SQLite.
-- Keep in step with ../postgres/00016_payments.sql.

-- +goose Up
CREATE TABLE payments (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    booking_id    TEXT NOT NULL,
    provider      TEXT NOT NULL,
    reference     TEXT NOT NULL,
    amount        BIGINT NOT NULL,
    currency      TEXT NOT NULL,
    state         TEXT NOT NULL,
    method        TEXT NOT NULL DEFAULT '',
    provider_ref  TEXT NOT NULL DEFAULT '',
    bank_code     TEXT NOT NULL DEFAULT '',
    account       TEXT NOT NULL DEFAULT '',
    pay_code      TEXT NOT NULL DEFAULT '',
    expires_at    BIGINT,
    payer_ref     TEXT NOT NULL DEFAULT '',
    reported_at   BIGINT,
    paid_at       BIGINT,
    failure       TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE (provider, reference)
);
CREATE INDEX payments_booking ON payments (workspace_id, booking_id, created_at);
CREATE INDEX payments_open ON payments (provider, state, created_at);
ALTER TABLE bookings ADD COLUMN refund_owed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE bookings ADD COLUMN refunded BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE bookings DROP COLUMN refunded;
ALTER TABLE bookings DROP COLUMN refund_owed;
DROP TABLE payments;
