-- Since 00022 every query of reservations by practitioner and time names
-- the workspace too (Tx.Busy, the slot check in Tx.Reserve) and uses the
-- (workspace_id, practitioner_id, block_start) index, which also serves
-- the cascade from a practitioner (its first two columns); EXPLAIN shows
-- the older (practitioner_id, block_start) index unused. Every booking
-- wrote it all the same.
-- PostgreSQL. Keep in step with ../sqlite/00029_reservations_one_index.sql.

-- +goose Up
DROP INDEX reservations_practitioner_start;

-- +goose Down
CREATE INDEX reservations_practitioner_start ON reservations (practitioner_id, block_start);
