-- Busy times (Tx.Busy) ask for one workspace's practitioners in a time
-- window. On PostgreSQL the planner served that through the exclusion
-- constraint's GiST index, bounded by workspace and practitioner only, so
-- it read the practitioners' whole history: after a bulk load (no
-- statistics yet: 8.5 ms for 1,000 rows at 10,000 bookings, 44.5 ms for
-- 80,000 at 1,080,000) and, for light practitioners, after ANALYZE too.
-- A btree matching every equality of the query and its time bound is the
-- plan either way (0.2 ms / 1.8 ms; docs/performance.md, issue 14 part 2).
-- The slot check in Reserve has the same shape and uses it too. The
-- (practitioner_id, block_start) index stays until a plan shows it unused.
-- PostgreSQL. Keep in step with ../sqlite/00022_reservations_workspace_index.sql.

-- +goose Up
CREATE INDEX reservations_workspace_practitioner_start ON reservations (workspace_id, practitioner_id, block_start);

-- +goose Down
DROP INDEX reservations_workspace_practitioner_start;
