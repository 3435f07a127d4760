package store

import (
	"context"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
)

// maxBlock is the longest block a reservation may hold (a CHECK in the
// schema). Knowing it lets Busy bound its index range on block_start from
// both sides: a session is at most 12 hours and each buffer at most 4.
const maxBlock = 48 * time.Hour

// Reserve takes r.Block of a practitioner's time for a booking or one of
// its requests, replacing that booking's (or request's) previous block. It
// returns ESLOT when the block overlaps a block of another booking of the
// practitioner; touching blocks (one ends where the other starts) do not
// overlap. Callers lock the practitioner first (LockPractitioner) in the
// same Update; on PostgreSQL an exclusion constraint backs the check up.
func (t *tx) Reserve(ctx context.Context, r daoyue.Reservation) error {
	start, end := unix(r.Block.Start), unix(r.Block.End)
	if end <= start || r.Block.End.Sub(r.Block.Start) > maxBlock {
		return errInvalid("error.block", nil)
	}
	// Checked and written in one statement: no other block of the
	// practitioner may overlap (the booking's own aside, being moved). The
	// WHERE of the conflict branch keeps another workspace's row out of
	// reach: an upsert that meets a conflict does not re-check the foreign
	// keys. (PostgreSQL's exclusion constraint also stands behind the check.)
	res, err := t.exec(ctx, "reserve",
		`INSERT INTO reservations (workspace_id, practitioner_id, booking_id, request_id, block_start, block_end)
		 SELECT $1, $2, $3, $4, $5, $6
		 WHERE NOT EXISTS (SELECT 1 FROM reservations
		   WHERE workspace_id = $1 AND practitioner_id = $2 AND block_start < $6 AND block_start > $7
		     AND block_end > $5 AND booking_id <> $3)
		 ON CONFLICT (booking_id, request_id) DO UPDATE
		 SET practitioner_id = excluded.practitioner_id, block_start = excluded.block_start, block_end = excluded.block_end
		 WHERE reservations.workspace_id = excluded.workspace_id`,
		r.WorkspaceID, r.PractitionerID, r.BookingID, r.RequestID, start, end, start-int64(maxBlock/time.Second))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return t.db.wrap("reserve", err)
	}
	// Nothing written: an overlap, or another workspace's row.
	var one int
	err = t.tx.QueryRowContext(ctx,
		`SELECT 1 FROM reservations
		  WHERE workspace_id = $1 AND practitioner_id = $2 AND block_start < $3 AND block_start > $4
		    AND block_end > $5 AND booking_id <> $6 LIMIT 1`,
		r.WorkspaceID, r.PractitionerID, end, start-int64(maxBlock/time.Second), start, r.BookingID).Scan(&one)
	if err = t.db.wrap("reserve", err); err == nil {
		return daoyue.ErrSlotTaken
	}
	return err // ENOTFOUND: another workspace's
}

// Release frees the block of a booking (requestID "") or of one of its
// requests; nothing to free is no error.
func (t *tx) Release(ctx context.Context, workspaceID, bookingID, requestID string) error {
	_, err := t.exec(ctx, "release",
		`DELETE FROM reservations WHERE workspace_id = $1 AND booking_id = $2 AND request_id = $3`,
		workspaceID, bookingID, requestID)
	return err
}

// ReleaseAll frees every block of a booking.
func (t *tx) ReleaseAll(ctx context.Context, workspaceID, bookingID string) error {
	_, err := t.exec(ctx, "release all",
		`DELETE FROM reservations WHERE workspace_id = $1 AND booking_id = $2`, workspaceID, bookingID)
	return err
}

// Busy returns, by practitioner, the blocks that overlap [from, to),
// ordered by start. Practitioners without blocks have no key.
func (t *tx) Busy(ctx context.Context, workspaceID string, practitionerIDs []string, from, to time.Time) (map[string][]daoyue.Interval, error) {
	out := map[string][]daoyue.Interval{}
	if len(practitionerIDs) == 0 || !from.Before(to) {
		return out, nil
	}
	var a params
	q := `SELECT practitioner_id, block_start, block_end FROM reservations WHERE workspace_id = ` + a.add(workspaceID)
	ph := make([]string, len(practitionerIDs))
	for i, id := range practitionerIDs {
		ph[i] = a.add(id)
	}
	q += ` AND practitioner_id IN (` + strings.Join(ph, ", ") + `)` +
		` AND block_start < ` + a.add(unix(to)) +
		` AND block_start > ` + a.add(unix(from)-int64(maxBlock/time.Second)) +
		` AND block_end > ` + a.add(unix(from)) +
		` ORDER BY practitioner_id, block_start`
	rows, err := t.query(ctx, "busy", q, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p string
		var s, e int64
		if err := rows.Scan(&p, &s, &e); err != nil {
			return nil, t.db.wrap("busy", err)
		}
		out[p] = append(out[p], daoyue.Interval{Start: fromUnix(s), End: fromUnix(e)})
	}
	return out, t.db.wrap("busy", rows.Err())
}
