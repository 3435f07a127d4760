package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/daoyue/daoyue"
)

// The meeting sync's lease and create attempts (table meeting_syncs).

// ClaimMeetingSync upserts the lease row; the conflict branch only takes
// over a free or expired lease, or renews owner's own. One statement, so
// two claimers on PostgreSQL cannot both win. A mark goes in only where
// nothing is in flight; the row returned says whether it went in.
func (t *tx) ClaimMeetingSync(ctx context.Context, bookingID, owner string, until, now time.Time, mark *daoyue.MeetingAttempt) (*daoyue.MeetingSyncState, bool, error) {
	m, err := attemptJSON(mark)
	if err != nil {
		return nil, false, err
	}
	var marked bool
	st, err := scanMeetingSync(bookingID, t.tx.QueryRowContext(ctx,
		`INSERT INTO meeting_syncs (booking_id, owner, lease_until_ms, in_flight) VALUES ($1, $2, $3, $5)
		 ON CONFLICT (booking_id) DO UPDATE SET owner = excluded.owner, lease_until_ms = excluded.lease_until_ms,
		   in_flight = CASE WHEN meeting_syncs.in_flight = '' THEN excluded.in_flight ELSE meeting_syncs.in_flight END
		 WHERE meeting_syncs.owner = excluded.owner OR meeting_syncs.owner = '' OR meeting_syncs.lease_until_ms <= $4
		 RETURNING `+meetingSyncCols+`, in_flight = $5`, bookingID, owner, until.UnixMilli(), now.UnixMilli(), m), &marked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil // held by another run: the upsert's WHERE kept the row
	}
	return st, marked && mark != nil, t.db.wrap("claim meeting sync", err)
}

// SettleMeetingSync is the lease check, the in-flight mark's clearing and
// the renewal or release of a sync's round, in one statement.
func (t *tx) SettleMeetingSync(ctx context.Context, bookingID, owner string, until, now time.Time, clearInFlight, release bool) (bool, error) {
	var newOwner string
	var newUntil int64
	if !release {
		newOwner, newUntil = owner, until.UnixMilli()
	}
	res, err := t.exec(ctx, "settle meeting sync",
		`UPDATE meeting_syncs SET owner = $3, lease_until_ms = $4, in_flight = CASE WHEN $5 THEN '' ELSE in_flight END
		 WHERE booking_id = $1 AND (owner = $2 OR owner = '' OR lease_until_ms <= $6)`,
		bookingID, owner, newOwner, newUntil, clearInFlight, now.UnixMilli())
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, t.db.wrap("settle meeting sync", err)
}

// ReleaseMeetingSync frees owner's lease.
func (t *tx) ReleaseMeetingSync(ctx context.Context, bookingID, owner string) error {
	_, err := t.exec(ctx, "release meeting sync",
		`UPDATE meeting_syncs SET owner = '', lease_until_ms = 0 WHERE booking_id = $1 AND owner = $2`, bookingID, owner)
	return err
}

// MeetingSync reads a booking's sync state; a booking never synced has the
// zero state.
func (t *tx) MeetingSync(ctx context.Context, bookingID string) (*daoyue.MeetingSyncState, error) {
	st, err := scanMeetingSync(bookingID, t.tx.QueryRowContext(ctx,
		`SELECT `+meetingSyncCols+` FROM meeting_syncs WHERE booking_id = $1`, bookingID))
	if errors.Is(err, sql.ErrNoRows) {
		return &daoyue.MeetingSyncState{}, nil
	}
	return st, t.db.wrap("meeting sync", err)
}

const meetingSyncCols = `owner, lease_until_ms, in_flight, maybe_extra`

// scanMeetingSync reads meetingSyncCols, then more (sql.ErrNoRows as it
// comes).
func scanMeetingSync(bookingID string, row *sql.Row, more ...any) (*daoyue.MeetingSyncState, error) {
	var s daoyue.MeetingSyncState
	var until int64
	var inFlight, extra string
	if err := row.Scan(append([]any{&s.Owner, &until, &inFlight, &extra}, more...)...); err != nil {
		return nil, err
	}
	if until > 0 {
		s.LeaseUntil = time.UnixMilli(until).UTC()
	}
	if inFlight != "" {
		s.InFlight = new(daoyue.MeetingAttempt)
		if err := json.Unmarshal([]byte(inFlight), s.InFlight); err != nil {
			return nil, fmt.Errorf("store: meeting sync of %s: in flight: %w", bookingID, err)
		}
	}
	if extra != "" {
		if err := json.Unmarshal([]byte(extra), &s.MaybeExtra); err != nil {
			return nil, fmt.Errorf("store: meeting sync of %s: maybe extra: %w", bookingID, err)
		}
	}
	return &s, nil
}

// SetMeetingSyncAttempts writes the attempts, creating the row if needed.
func (t *tx) SetMeetingSyncAttempts(ctx context.Context, bookingID string, inFlight *daoyue.MeetingAttempt, maybeExtra []daoyue.MeetingAttempt) error {
	f, err := attemptJSON(inFlight)
	if err != nil {
		return err
	}
	var e string
	if len(maybeExtra) > 0 {
		b, err := json.Marshal(maybeExtra)
		if err != nil {
			return err
		}
		e = string(b)
	}
	_, err = t.exec(ctx, "set meeting sync attempts",
		`INSERT INTO meeting_syncs (booking_id, in_flight, maybe_extra) VALUES ($1, $2, $3)
		 ON CONFLICT (booking_id) DO UPDATE SET in_flight = excluded.in_flight, maybe_extra = excluded.maybe_extra`,
		bookingID, f, e)
	return err
}

// attemptJSON is the in_flight column's text for a ("" for none).
func attemptJSON(a *daoyue.MeetingAttempt) (string, error) {
	if a == nil {
		return "", nil
	}
	b, err := json.Marshal(a)
	return string(b), err
}
