-- The outbox is its own queue (jobs/maildrain.go): a queued message is
-- due from next_attempt_at (unix seconds; 0: now), and an instance sending
-- it holds it until claimed_until, after which another may take it (the
-- sender died). Before, every message had a River job of its own, inserted
-- in the transaction that wrote it.
-- PostgreSQL. Keep in step with ../sqlite/00026_outbox_queue.sql.

-- +goose Up
ALTER TABLE outbox ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN claimed_until BIGINT NOT NULL DEFAULT 0;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'queued';

-- +goose Down
DROP INDEX outbox_due;
ALTER TABLE outbox DROP COLUMN claimed_until;
ALTER TABLE outbox DROP COLUMN next_attempt_at;
