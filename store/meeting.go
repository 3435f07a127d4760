package store

import (
	"context"
	"time"

	"github.com/daoyue/daoyue"
)

// Bookings found by the state of their online meeting.

// BookingsByMeetingZoomUser lists, by start, the bookings of any workspace
// whose meeting is held by that Zoom user. "" matches nothing (not every
// booking without a meeting).
func (t *tx) BookingsByMeetingZoomUser(ctx context.Context, zoomUserID string) ([]*daoyue.Booking, error) {
	if zoomUserID == "" {
		return nil, nil
	}
	rows, err := t.query(ctx, "bookings by meeting zoom user",
		bookingSelect+`WHERE b.meeting_zoom_user_id = $1 ORDER BY b.start_at, b.id`+t.forChange("b"), zoomUserID)
	if err != nil {
		return nil, err
	}
	return collect(t, "bookings by meeting zoom user", rows, scanBooking)
}

// BookingsHostedBy lists, by start, the workspace's confirmed online
// bookings hosted by hostID that end after now.
func (t *tx) BookingsHostedBy(ctx context.Context, workspaceID, hostID string, now time.Time) ([]*daoyue.Booking, error) {
	rows, err := t.query(ctx, "bookings hosted by",
		bookingSelect+`WHERE b.workspace_id = $1 AND b.host_id = $2 AND b.status = `+literal(daoyue.StatusConfirmed)+` AND b.online
		  AND b.end_at > $3 ORDER BY b.start_at, b.id`+t.forChange("b"),
		workspaceID, hostID, unix(now))
	if err != nil {
		return nil, err
	}
	return collect(t, "bookings hosted by", rows, scanBooking)
}

// OutOfSyncBookings lists bookings of any workspace whose meeting version
// is ahead of its synced version, by when the meeting last changed (the
// booking's update time when it never did), at most limit (default 100).
func (t *tx) OutOfSyncBookings(ctx context.Context, limit int) ([]*daoyue.Booking, error) {
	if limit <= 0 {
		limit = 100
	}
	// The condition and order are those of the partial index bookings_meeting_out_of_sync.
	rows, err := t.query(ctx, "out of sync bookings", bookingSelect+
		`WHERE b.meeting_version > b.meeting_synced_version
		 ORDER BY COALESCE(b.meeting_updated_at, b.updated_at), b.id LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	return collect(t, "out of sync bookings", rows, scanBooking)
}
