package daoyue

import (
	"context"
	"time"
)

// MeetingAttempt is a meeting create DaoYue sent to Zoom: what Zoom was
// asked for, so that a create whose answer never came back (a crash, a
// timeout, a dropped connection) can be named to the studio: Zoom may hold
// a meeting with this topic at this time in this host's account.
type MeetingAttempt struct {
	At          time.Time `json:"at"`    // when the create was sent
	Start       time.Time `json:"start"` // the meeting's start as sent
	DurationMin int       `json:"duration_min"`
	Topic       string    `json:"topic"`
	HostID      string    `json:"host_id"` // the practitioner whose Zoom account was asked
}

// MeetingSyncState is the bookkeeping of one booking's meeting sync that is
// not part of the booking: the lease that makes one sync at a time work on
// the booking (across processes), the create in flight, and the creates
// whose outcome is unknown.
type MeetingSyncState struct {
	Owner      string    // the sync run holding the lease ("" none)
	LeaseUntil time.Time // the lease is held until then
	InFlight   *MeetingAttempt
	MaybeExtra []MeetingAttempt
}

// MeetingSyncStore keeps MeetingSyncState, one row per booking that was
// ever synced (deleted with its booking).
type MeetingSyncStore interface {
	// ClaimMeetingSync takes (or renews) a booking's sync lease for owner
	// until the given time and returns the state with it (what MeetingSync
	// would read next). It succeeds when the lease is free, expired at now,
	// or already owner's; nil when another live run holds it. A mark
	// becomes the create in flight unless another one is (the state then
	// shows that one); marked reports whether it did.
	ClaimMeetingSync(ctx context.Context, bookingID, owner string, until, now time.Time, mark *MeetingAttempt) (st *MeetingSyncState, marked bool, err error)
	// SettleMeetingSync ends a round of owner's run in one write: if the
	// lease is still owner's (or free, or expired at now), it forgets the
	// create in flight when clearInFlight, and renews the lease until
	// until or, with release, frees it. held is false, and nothing is
	// written, when another live run holds the lease.
	SettleMeetingSync(ctx context.Context, bookingID, owner string, until, now time.Time, clearInFlight, release bool) (held bool, err error)
	// ReleaseMeetingSync frees the lease if owner holds it.
	ReleaseMeetingSync(ctx context.Context, bookingID, owner string) error
	// MeetingSync reads a booking's sync state (the zero state when none).
	MeetingSync(ctx context.Context, bookingID string) (*MeetingSyncState, error)
	// SetMeetingSyncAttempts stores the create in flight and the creates
	// of unknown outcome, leaving the lease alone.
	SetMeetingSyncAttempts(ctx context.Context, bookingID string, inFlight *MeetingAttempt, maybeExtra []MeetingAttempt) error
}
