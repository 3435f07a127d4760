package store

import (
	"context"

	"github.com/daoyue/daoyue"
)

// The sealed copies of the clients' manage link secrets.

// BookingsWithSealedToken lists bookings of every workspace holding a
// sealed manage token, in id order after afterID.
func (t *tx) BookingsWithSealedToken(ctx context.Context, afterID string, limit int) ([]*daoyue.Booking, error) {
	rows, err := t.query(ctx, "bookings with sealed token", bookingSelect+
		`WHERE b.manage_token_sealed <> '' AND b.id > $1 ORDER BY b.id LIMIT $2`, afterID, pageLimit(limit))
	if err != nil {
		return nil, err
	}
	return collect(t, "bookings with sealed token", rows, scanBooking)
}

// SetManageTokenSealed replaces the sealed manage token of one booking.
func (t *tx) SetManageTokenSealed(ctx context.Context, workspaceID, id, sealed string) error {
	return t.execOne(ctx, "set manage token sealed",
		`UPDATE bookings SET manage_token_sealed = $3 WHERE workspace_id = $1 AND id = $2`, workspaceID, id, sealed)
}
