package daoyue

import "time"

// The meeting's decisions, as pure functions like the booking's lifecycle:
// what a booking's meeting should become after a change given its host's
// readiness (PlanMeeting), how an outcome of a sync is recorded
// (RecordSync), and whether a message waits for the meeting (HoldsMail).
// Meeting.Set is the one place its state is written.

// MeetingReason is why a meeting is in its state (words at the edge:
// i18n "meeting.note."+reason).
type MeetingReason string

const (
	ReasonInPerson           MeetingReason = "in_person"
	ReasonCancelled          MeetingReason = "cancelled"
	ReasonEnded              MeetingReason = "ended"
	ReasonNotConfirmed       MeetingReason = "not_confirmed"
	ReasonHostNoZoom         MeetingReason = "host_no_zoom"
	ReasonHostNotDefault     MeetingReason = "host_not_default"
	ReasonNeedsReauth        MeetingReason = "needs_reauth"
	ReasonSyncing            MeetingReason = "syncing"
	ReasonRateLimited        MeetingReason = "rate_limited"
	ReasonRetrying           MeetingReason = "retrying"
	ReasonRetriesExhausted   MeetingReason = "retries_exhausted"
	ReasonZoomRejected       MeetingReason = "zoom_rejected"
	ReasonDisconnected       MeetingReason = "disconnected"
	ReasonDisconnectedDelete MeetingReason = "disconnected_delete"
	ReasonCreated            MeetingReason = "created"
	ReasonMoved              MeetingReason = "moved"
	ReasonRecreated          MeetingReason = "recreated"
	ReasonDeleted            MeetingReason = "deleted"
	ReasonZoomRemoved        MeetingReason = "zoom_removed"
)

// MeetingReasons lists every reason (the translation test covers them).
var MeetingReasons = []MeetingReason{ReasonInPerson, ReasonCancelled, ReasonEnded, ReasonNotConfirmed, ReasonHostNoZoom,
	ReasonHostNotDefault, ReasonNeedsReauth, ReasonSyncing, ReasonRateLimited, ReasonRetrying, ReasonRetriesExhausted,
	ReasonZoomRejected, ReasonDisconnected, ReasonDisconnectedDelete, ReasonCreated, ReasonMoved, ReasonRecreated,
	ReasonDeleted, ReasonZoomRemoved}

// Set writes the meeting's state and its reason: the one place they change.
func (m *Meeting) Set(s MeetingStatus, r MeetingReason) { m.Status, m.Reason = s, r }

// HostReadiness is what the host's Zoom connection allows.
type HostReadiness int

const (
	HostReady       HostReadiness = iota // connected and the default tool
	HostNoZoom                           // not connected
	HostNotDefault                       // connected, not the default tool
	HostNeedsReauth                      // Zoom no longer accepts the connection
)

// Readiness says what a host's connection (nil: none) allows.
func Readiness(c *ZoomConnection) HostReadiness {
	switch {
	case c == nil:
		return HostNoZoom
	case !c.IsDefault:
		return HostNotDefault
	case c.Status == ConnNeedsReauth:
		return HostNeedsReauth
	}
	return HostReady
}

// PlanMeeting updates b's meeting after a change of b and reports whether
// Zoom must now be synced (the caller queues the sync job). A booking
// whose stored meeting already matches needs nothing (an absent one says
// why); one that wants a meeting it has not got, of a host who is not
// ready, says why without a sync; anything else is a new version to sync.
// host is read only in that second case; pass what the host's connection
// allows.
func (b *Booking) PlanMeeting(now time.Time, host HostReadiness) (sync bool) {
	m := &b.Meeting
	desire, reason := b.MeetingDesire(now)
	if b.MeetingInSync(now) {
		if !m.Has() && m.Status != MeetingPurged && desire == DesireAbsent {
			m.Set(MeetingNone, reason)
		}
		return false
	}
	if desire == DesirePresent && !m.Has() {
		switch host {
		case HostNoZoom:
			m.Set(MeetingNone, ReasonHostNoZoom)
			return false
		case HostNotDefault:
			m.Set(MeetingNone, ReasonHostNotDefault)
			return false
		case HostNeedsReauth:
			m.Set(MeetingFailed, ReasonNeedsReauth)
			return false
		}
	}
	m.Version++
	m.Set(MeetingPending, ReasonSyncing)
	m.Attempts = 0
	return true
}

// NeedsHost reports whether PlanMeeting will read the host's readiness
// (so the caller looks the connection up only then).
func (b *Booking) NeedsHost(now time.Time) bool {
	d, _ := b.MeetingDesire(now)
	return !b.MeetingInSync(now) && d == DesirePresent && !b.Meeting.Has()
}

// SyncOutcome is how one attempt of a meeting sync ended.
type SyncOutcome int

const (
	SyncDone        SyncOutcome = iota // Zoom matches (the attempt recorded what it did)
	SyncRateLimited                    // 429: try again after Retry-After
	SyncNeedsReauth                    // Zoom refuses the authorization
	SyncTemporary                      // a timeout or a 5xx
	SyncRejected                       // Zoom refused the request itself
)

// RecordSync records an attempt's outcome on the meeting: a temporary
// failure stays pending while attempts remain (final is the last one), and
// is a failure after it; cause is the operator-facing error ("" on success).
func (m *Meeting) RecordSync(o SyncOutcome, final bool, cause string) {
	m.LastError = cause
	switch o {
	case SyncRateLimited:
		m.Set(MeetingPending, ReasonRateLimited)
	case SyncNeedsReauth:
		m.Set(MeetingFailed, ReasonNeedsReauth)
	case SyncTemporary:
		if final {
			m.Set(MeetingFailed, ReasonRetriesExhausted)
		} else {
			m.Set(MeetingPending, ReasonRetrying)
		}
	case SyncRejected:
		m.Set(MeetingFailed, ReasonZoomRejected)
	}
}

// HoldsMail reports whether a message of kind about b waits for the
// meeting sync to settle: the message that gives the client the join link,
// while the meeting is being synced.
func (b *Booking) HoldsMail(kind MailKind) bool {
	return kind.CarriesMeeting(b) && b.Meeting.Status == MeetingPending
}
