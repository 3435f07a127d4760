package daoyue

import "time"

// ConnStatus is where a practitioner's Zoom connection stands. A
// disconnected practitioner simply has no connection.
type ConnStatus string

const (
	ConnConnected   ConnStatus = "connected"
	ConnNeedsReauth ConnStatus = "needs_reauth" // refresh failed or Zoom revoked it: 重新連結
)

// ZoomConnection is a practitioner's authorization of DaoYue in Zoom. The
// tokens are sealed by package secret before they reach the store; the
// store never sees them in clear.
type ZoomConnection struct {
	ID             string
	WorkspaceID    string
	PractitionerID string
	ZoomUserID     string // unique: one Zoom user, one practitioner
	ZoomAccountID  string
	AccountLabel   string // "Name <email>" from user:read:user
	Status         ConnStatus
	IsDefault      bool // 設為預設: Zoom is the practitioner's default online meeting tool
	AccessSealed   string
	RefreshSealed  string
	ExpiresAt      time.Time // access token expiry
	APIURL         string    // the api_url Zoom returned with the tokens, if any
	Scope          string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// OAuthState is a pending Zoom authorization: single use, short-lived,
// bound to the member who asked and the practitioner to connect. Only the
// state's hash is stored. Kind "connect" carries the sealed PKCE verifier.
type OAuthState struct {
	Hash           string
	Kind           string
	WorkspaceID    string
	PractitionerID string
	UserID         string
	PayloadSealed  string
	ExpiresAt      time.Time
	CreatedAt      time.Time
}

// OAuthStateTTL bounds how long a consent screen may stay open (API.md: 10 minutes).
const OAuthStateTTL = 10 * time.Minute

// MeetingStatus is the sync state of a booking's meeting (API.md).
type MeetingStatus string

const (
	MeetingNone    MeetingStatus = "none"    // no meeting is wanted; Note says why
	MeetingPending MeetingStatus = "pending" // a sync is queued or running
	MeetingCreated MeetingStatus = "created"
	MeetingFailed  MeetingStatus = "failed" // cannot proceed; Note names the cause and the fix
	MeetingDeleted MeetingStatus = "deleted"
	MeetingPurged  MeetingStatus = "purged" // Zoom data erased after the app was removed
)

// Meeting is what DaoYue knows of a booking's Zoom meeting. JoinURL and
// Passcode are private meeting details: only members of the workspace see
// them. The host start URL is never stored.
type Meeting struct {
	Status MeetingStatus
	// Reason says why the meeting is in its state; pages and the API
	// choose the words. Both change only through Set.
	Reason   MeetingReason
	ZoomID   int64 // 0 = no meeting in Zoom
	JoinURL  string
	Passcode string
	// ConnectionID and ZoomUserID name the account that holds the meeting,
	// so it is moved or deleted in that account even if the practitioner
	// later connects another one.
	ConnectionID string
	ZoomUserID   string
	// Start and Duration as last written to Zoom.
	Start       *time.Time
	DurationMin int
	Recreated   bool // the meeting was deleted in Zoom and made again
	// Version counts changes that need a sync; SyncedVersion is the last one
	// the sync job carried out. The job runs until they are equal.
	Version       int64
	SyncedVersion int64
	Attempts      int
	LastError     string // an operator-facing cause, never a secret
	UpdatedAt     *time.Time
}

// Has reports whether a live meeting exists in Zoom.
func (m *Meeting) Has() bool { return m.ZoomID != 0 }

// ShowDetails reports whether the private details may be shown: only while
// the meeting exists.
func (m *Meeting) ShowDetails() bool { return m.Status == MeetingCreated && m.ZoomID != 0 }

// Desire is what a booking wants of its meeting.
type Desire int

const (
	DesireAbsent  Desire = iota // no meeting: in person, not confirmed, or ended in cancellation
	DesirePresent               // a meeting at the booking's time
	DesireKeep                  // the session is over: leave whatever exists alone
)

// MeetingDesire says what the booking wants of its meeting now, with the
// reason an absent one is absent.
func (b *Booking) MeetingDesire(now time.Time) (Desire, MeetingReason) {
	switch {
	case !b.Online:
		return DesireAbsent, ReasonInPerson
	case b.Status == StatusCancelled || b.Status == StatusDeclined || b.Status == StatusExpired:
		return DesireAbsent, ReasonCancelled
	case !now.Before(b.End):
		return DesireKeep, ReasonEnded
	case b.Status != StatusConfirmed:
		return DesireAbsent, ReasonNotConfirmed
	}
	return DesirePresent, ""
}

// MeetingInSync reports whether the stored meeting already matches the booking.
func (b *Booking) MeetingInSync(now time.Time) bool {
	d, _ := b.MeetingDesire(now)
	m := &b.Meeting
	switch d {
	case DesireKeep:
		return true
	case DesireAbsent:
		return !m.Has()
	}
	return m.Has() && m.Status == MeetingCreated && m.Start != nil && m.Start.Equal(b.Start) &&
		m.DurationMin == int(b.End.Sub(b.Start).Minutes())
}

// WebhookEvent records a processed webhook delivery so Zoom's retries of
// one event are handled once.
type WebhookEvent struct {
	Key        string // provider + event id or signature hash
	ReceivedAt time.Time
}

// Job is background work a change asks for. The app enqueues it inside the
// change's own transaction, so it exists exactly when the change does.
type Job interface{ JobKind() string }

// SyncMeetingJob makes a booking's Zoom meeting match the booking.
type SyncMeetingJob struct {
	WorkspaceID string
	BookingID   string
}

// JobKind names the job.
func (SyncMeetingJob) JobKind() string { return "meeting_sync" }
