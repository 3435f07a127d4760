package daoyue

import (
	"context"
	"time"
)

// Store is the persistence port. Every method of Tx that reads or writes
// tenant data takes the workspace id and filters on it, so an id from another
// workspace is ENOTFOUND, never the row.
type Store interface {
	// Update runs fn in a write transaction; it commits when fn returns nil.
	Update(ctx context.Context, fn func(Tx) error) error
	// UpdateSteps runs steps in order, each kept whatever the later ones
	// do: a step that fails has its own writes undone, the later steps do
	// not run, and its error is returned; each step sees the earlier ones'
	// writes. The store may commit them together or one by one.
	UpdateSteps(ctx context.Context, steps ...func(Tx) error) error
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(Tx) error) error
	// SlotStamp returns a string that changes whenever the free slots of
	// a workspace's service (of one practitioner, or "" for any) may have
	// changed other than by the passing of time; "" when there is no such
	// workspace or service. One statement, outside any transaction.
	SlotStamp(ctx context.Context, slug, serviceID, practitionerID string) (string, error)
	// Ping checks the database is reachable and its schema current.
	Ping(ctx context.Context) error
	Close() error
}

// Tx is one transaction: every store of an entity, over the same
// transaction. Methods return *Error with ENOTFOUND for a missing row,
// ECONFLICT for a unique clash and ESLOT when a reservation overlaps.
//
// A new kind of stored thing gets an interface of its own below and one
// line here.
type Tx interface {
	WorkspaceStore
	UserStore
	MemberStore
	PractitionerStore
	OverrideStore
	ServiceStore
	BookingStore
	ManageTokenStore
	MeetingBookingStore
	ReservationStore
	RequestStore
	AuditStore
	OutboxStore
	ZoomConnectionStore
	OAuthStateStore
	WebhookEventStore
	JobQueue
	AuthTokenStore
	InvitationStore
	ThrottleStore
	AccountTokenStore
	TwoFactorStore
	DataStore
	SignupStore
	MeetingSyncStore
	PaymentStore
	ClientTokenStore
	PaymentAccountStore
	NoticePrefStore
	ReminderStore
	InvoiceStore
	LineStore
}

// WorkspaceStore keeps workspaces (工作室).
type WorkspaceStore interface {
	CreateWorkspace(ctx context.Context, w *Workspace) error
	UpdateWorkspace(ctx context.Context, w *Workspace) error
	WorkspaceBySlug(ctx context.Context, slug string) (*Workspace, error)
	WorkspaceByID(ctx context.Context, id string) (*Workspace, error)
	// WorkspacesOf lists the workspaces the user is a member of, by name.
	WorkspacesOf(ctx context.Context, userID string) ([]*Workspace, error)
	// PutWorkspaceLogo stores or replaces the logo image; the workspace's
	// LogoVersion is updated apart (UpdateWorkspace).
	PutWorkspaceLogo(ctx context.Context, workspaceID string, l *Logo) error
	DeleteWorkspaceLogo(ctx context.Context, workspaceID string) error
	// WorkspaceLogo is ENOTFOUND when the workspace has no logo.
	WorkspaceLogo(ctx context.Context, workspaceID string) (*Logo, error)
}

// UserStore keeps the people who sign in.
type UserStore interface {
	// CreateUser returns ECONFLICT when the email is taken.
	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, u *User) error
	// UseTOTPStep records that the user's authenticator code of step was
	// used, if step is later than the last one used; false when it is not
	// (a code used again). It writes nothing else: a sign-in must not
	// write back an account it read before a password or two-factor
	// change committed.
	UseTOTPStep(ctx context.Context, userID string, step int64) (bool, error)
	UserByEmail(ctx context.Context, email string) (*User, error)
	UserByID(ctx context.Context, id string) (*User, error)
}

// MemberStore keeps who belongs to a workspace, and in which role.
type MemberStore interface {
	// PutMember adds or updates a membership.
	PutMember(ctx context.Context, m *Member) error
	Member(ctx context.Context, workspaceID, userID string) (*Member, error)
	ListMembers(ctx context.Context, workspaceID string) ([]*Member, error)
	// Owners lists the user ids of the workspace's owners. In a write
	// transaction it holds their memberships until the transaction ends
	// (a row lock where the database has them): two changes that would
	// each leave one owner take turns, and the second sees the first.
	Owners(ctx context.Context, workspaceID string) ([]string, error)
	DeleteMember(ctx context.Context, workspaceID, userID string) error
}

// PractitionerStore keeps practitioners (老師) and their weekly hours.
type PractitionerStore interface {
	CreatePractitioner(ctx context.Context, p *Practitioner) error
	UpdatePractitioner(ctx context.Context, p *Practitioner) error
	Practitioner(ctx context.Context, workspaceID, id string) (*Practitioner, error)
	ListPractitioners(ctx context.Context, workspaceID string) ([]*Practitioner, error)
	// LockPractitioner serialises writers of one practitioner's calendar
	// until the transaction ends (a row lock where the database has them).
	LockPractitioner(ctx context.Context, workspaceID, id string) error
}

// OverrideStore keeps a practitioner's hours of single dates.
type OverrideStore interface {
	// PutOverride replaces the override of one date; DeleteOverride removes it.
	PutOverride(ctx context.Context, workspaceID string, o *DateOverride) error
	DeleteOverride(ctx context.Context, workspaceID, practitionerID, date string) error
	// ListOverrides returns the overrides dated from..to (inclusive).
	ListOverrides(ctx context.Context, workspaceID, practitionerID, from, to string) ([]*DateOverride, error)
	// ListWorkspaceOverrides is ListOverrides for every practitioner of the
	// workspace at once (the "any practitioner" calendar reads them in one
	// query rather than one per practitioner).
	ListWorkspaceOverrides(ctx context.Context, workspaceID, from, to string) ([]*DateOverride, error)
}

// ServiceStore keeps the services a workspace offers.
type ServiceStore interface {
	CreateService(ctx context.Context, s *Service) error
	UpdateService(ctx context.Context, s *Service) error
	Service(ctx context.Context, workspaceID, id string) (*Service, error)
	ListServices(ctx context.Context, workspaceID string) ([]*Service, error)
}

// BookingStore keeps bookings (預約) and lists them by tab.
// In a write transaction, the reads of a booking for a change (Booking,
// BookingInWorkspace, BookingByManageToken, BookingsOfClient and
// MeetingBookingStore's) hold the rows they return until the transaction
// ends, as a row lock where the database has them: two writers of one
// booking take turns, and the second reads what the first wrote rather
// than writing back a copy from before it. (SQLite has one writer.)
// Locks are taken booking first, then calendar (LockPractitioner), and
// lists lock in their order (start, then id).
type BookingStore interface {
	CreateBooking(ctx context.Context, b *Booking) error
	UpdateBooking(ctx context.Context, b *Booking) error
	// DeleteBooking removes a booking with its holds and requests.
	DeleteBooking(ctx context.Context, workspaceID, id string) error
	Booking(ctx context.Context, workspaceID, id string) (*Booking, error)
	// BookingInWorkspace is Booking with its workspace (one read).
	BookingInWorkspace(ctx context.Context, workspaceID, id string) (*Booking, *Workspace, error)
	BookingByManageToken(ctx context.Context, tokenHash string) (*Booking, error)
	ListBookings(ctx context.Context, workspaceID string, f BookingFilter) ([]*Booking, string, error)
	// CountBookings counts each tab's bookings, of one practitioner when
	// practitionerID is not "".
	CountBookings(ctx context.Context, workspaceID, practitionerID string, now time.Time) (map[Tab]int, error)
	// CountBookingsAhead counts the workspace's bookings that are not final
	// (pending, awaiting payment, confirmed) and end after now.
	CountBookingsAhead(ctx context.Context, workspaceID string, now time.Time) (int, error)
	// DueForExpiry lists awaiting-payment bookings (any workspace) whose deadline is before now.
	DueForExpiry(ctx context.Context, now time.Time, limit int) ([]*Booking, error)
}

// ManageTokenStore reaches the sealed copies of the clients' manage link
// secrets, for re-encryption under another key.
type ManageTokenStore interface {
	// BookingsWithSealedToken lists bookings (any workspace) that hold a
	// sealed manage token, by id after afterID (for re-encryption).
	BookingsWithSealedToken(ctx context.Context, afterID string, limit int) ([]*Booking, error)
	// SetManageTokenSealed replaces a booking's sealed manage token (the
	// same secret under another key).
	SetManageTokenSealed(ctx context.Context, workspaceID, id, sealed string) error
}

// MeetingBookingStore finds bookings by the state of their online meeting.
type MeetingBookingStore interface {
	// BookingsByMeetingZoomUser lists bookings (any workspace) whose meeting
	// data belongs to that Zoom user.
	BookingsByMeetingZoomUser(ctx context.Context, zoomUserID string) ([]*Booking, error)
	// BookingsHostedBy lists the confirmed online bookings of a host that
	// have not ended (candidates for a sync after Zoom is connected).
	BookingsHostedBy(ctx context.Context, workspaceID, hostID string, now time.Time) ([]*Booking, error)
	// OutOfSyncBookings lists bookings whose meeting version is ahead of its
	// synced version, oldest change first.
	OutOfSyncBookings(ctx context.Context, limit int) ([]*Booking, error)
}

// ReservationStore keeps the blocks of practitioners' time that bookings
// and their reschedule requests hold.
type ReservationStore interface {
	// Reserve takes a block of a practitioner's time for a booking (or for
	// one of its reschedule requests). It returns ESLOT when the block
	// overlaps a block of another booking; a booking's own blocks may overlap.
	Reserve(ctx context.Context, r Reservation) error
	// Release frees the block of a booking (requestID "") or of one request.
	Release(ctx context.Context, workspaceID, bookingID, requestID string) error
	// ReleaseAll frees every block of a booking.
	ReleaseAll(ctx context.Context, workspaceID, bookingID string) error
	// Busy returns the blocks of the practitioners that overlap [from, to).
	Busy(ctx context.Context, workspaceID string, practitionerIDs []string, from, to time.Time) (map[string][]Interval, error)
}

// RequestStore keeps clients' reschedule and cancel requests.
type RequestStore interface {
	CreateRequest(ctx context.Context, r *Request) error
	UpdateRequest(ctx context.Context, r *Request) error
	Request(ctx context.Context, workspaceID, id string) (*Request, error)
	ListRequests(ctx context.Context, workspaceID, bookingID string) ([]*Request, error)
}

// AuditStore keeps the audit log.
type AuditStore interface {
	AddAudit(ctx context.Context, e *AuditEntry) error
	// ListAudit returns entries newest first; objectID "" means all.
	ListAudit(ctx context.Context, workspaceID, objectID, cursor string, limit int) ([]*AuditEntry, string, error)
}

// OutboxStore keeps the messages composed for clients.
type OutboxStore interface {
	// AddOutbox stores a composed message to a client in its workspace's
	// outbox (an empty ID is filled in).
	AddOutbox(ctx context.Context, m *OutboxMessage) error
	OutboxMessage(ctx context.Context, workspaceID, id string) (*OutboxMessage, error)
	// MarkOutboxSent records delivery at `at`.
	MarkOutboxSent(ctx context.Context, workspaceID, id string, at time.Time) error
	// MarkOutboxFailed records a failed attempt and its cause; final marks
	// the message failed for good, otherwise it stays queued, due again at
	// retryAt and free for any sender to claim. A message already sent is
	// ENOTFOUND.
	MarkOutboxFailed(ctx context.Context, workspaceID, id, cause string, final bool, retryAt time.Time) error
	// ClaimOutbox takes up to limit queued messages due at now (any
	// workspace), for one sender until `until`, and returns them in the
	// order they were written: no other claim returns them before then
	// unless they are marked failed (for a retry) first.
	ClaimOutbox(ctx context.Context, now, until time.Time, limit int) ([]*OutboxMessage, error)
	// ListOutbox returns the workspace's messages newest first.
	ListOutbox(ctx context.Context, workspaceID, cursor string, limit int) ([]*OutboxMessage, string, error)
	// OutboxOfBooking returns a booking's messages, oldest first.
	OutboxOfBooking(ctx context.Context, workspaceID, bookingID string) ([]*OutboxMessage, error)
	// DeleteOutboxOfBooking removes a booking's messages (the review
	// sandbox's reset leaves nothing of a removed booking behind).
	DeleteOutboxOfBooking(ctx context.Context, workspaceID, bookingID string) error
	// RewriteOutbox replaces a message's content (subject, bodies and
	// calendar), for erasing data that must not be kept.
	RewriteOutbox(ctx context.Context, m *OutboxMessage) error
}

// ZoomConnectionStore keeps practitioners' Zoom connections with their
// sealed tokens.
type ZoomConnectionStore interface {
	// PutZoomConnection inserts or updates a connection by ID. ECONFLICT when
	// the Zoom user is bound to another connection or the practitioner already
	// has another one.
	PutZoomConnection(ctx context.Context, c *ZoomConnection) error
	// ZoomConnection returns the practitioner's connection (ENOTFOUND: not connected).
	ZoomConnection(ctx context.Context, workspaceID, practitionerID string) (*ZoomConnection, error)
	// ZoomConnectionByID is the read for a change: in a write transaction
	// it holds the connection until the transaction ends (as
	// BookingStore's reads for a change do), so a token refresh, a key
	// rotation and a member's change take turns rather than writing back
	// each other's spent tokens. Take it before any booking.
	ZoomConnectionByID(ctx context.Context, id string) (*ZoomConnection, error)
	// ZoomConnectionByZoomUser looks across workspaces: a Zoom user is bound once.
	ZoomConnectionByZoomUser(ctx context.Context, zoomUserID string) (*ZoomConnection, error)
	ListZoomConnections(ctx context.Context, workspaceID string) ([]*ZoomConnection, error)
	// AllZoomConnectionIDs lists the ids of every workspace's connections.
	AllZoomConnectionIDs(ctx context.Context) ([]string, error)
	DeleteZoomConnection(ctx context.Context, id string) error
	// ClaimZoomRefresh takes the connection's refresh lease until `until` when
	// nobody holds it at now, and reports whether it did. The lease is what
	// serialises token refreshes across goroutines and instances without
	// holding a transaction open during the call to Zoom.
	ClaimZoomRefresh(ctx context.Context, id string, until, now time.Time) (bool, error)
	ReleaseZoomRefresh(ctx context.Context, id string) error
}

// OAuthStateStore keeps the states of OAuth flows under way.
type OAuthStateStore interface {
	CreateOAuthState(ctx context.Context, s *OAuthState) error
	// TakeOAuthState deletes and returns the live state with that hash:
	// ENOTFOUND when it was used already or has expired.
	TakeOAuthState(ctx context.Context, hash string, now time.Time) (*OAuthState, error)
}

// WebhookEventStore remembers the webhook deliveries already handled.
type WebhookEventStore interface {
	// MarkWebhookEvent records a delivery key; fresh is false when it was
	// recorded before (a retry of an event already handled).
	MarkWebhookEvent(ctx context.Context, key string, now time.Time) (fresh bool, err error)
}

// JobQueue adds background jobs that commit or roll back with the change
// that asks for them.
type JobQueue interface {
	// Enqueue adds a background job inside this transaction.
	Enqueue(ctx context.Context, job Job) error
}

// AuthTokenStore keeps sign-ins: browser sessions and API tokens.
type AuthTokenStore interface {
	CreateAuthToken(ctx context.Context, t *AuthToken) error
	// AuthToken returns the live token with that hash (ENOTFOUND when expired).
	AuthToken(ctx context.Context, hash string, now time.Time) (*AuthToken, error)
	DeleteAuthToken(ctx context.Context, hash string) error
	DeleteExpiredAuthTokens(ctx context.Context, now time.Time) error
	// ListAuthTokens lists the user's live sessions and API tokens, newest first.
	ListAuthTokens(ctx context.Context, userID string, now time.Time) ([]*AuthToken, error)
	// DeleteUserAuthToken ends one of the user's tokens by its ID.
	DeleteUserAuthToken(ctx context.Context, userID, id string) error
	// TouchAuthToken records a use of the token.
	TouchAuthToken(ctx context.Context, hash string, at time.Time, from string) error
	// DeleteUserAuthTokens ends every session and API token of the user
	// (a password change), keeping the one with hash `keep` ("" for none).
	DeleteUserAuthTokens(ctx context.Context, userID, keep string) error
}

// Reservation is a block of a practitioner's time held by a booking or by
// one of its open reschedule requests.
type Reservation struct {
	WorkspaceID    string
	PractitionerID string
	BookingID      string
	RequestID      string // "" for the booking's own time
	Block          Interval
}

// Tab is one of the admin bookings list's tabs.
type Tab string

const (
	// TabPending: waits for the studio (pending, a client request open, a
	// reported transfer to check, or a refund owed).
	TabPending Tab = "pending"
	// TabUpcoming: confirmed or awaiting payment, not ended yet.
	TabUpcoming Tab = "upcoming"
	// TabPast: confirmed and ended.
	TabPast Tab = "past"
	// TabCancelled: declined, cancelled or expired.
	TabCancelled Tab = "cancelled"
)

// Tabs in display order.
var Tabs = []Tab{TabPending, TabUpcoming, TabPast, TabCancelled}

// Statuses returns the booking statuses the tab lists (nil for an unknown
// tab). The pending tab also lists a booking of any status with an open
// request, a reported transfer or a refund owed; upcoming and past split theirs by whether the booking has ended.
// Together the tabs cover every status (a test checks it).
func (t Tab) Statuses() []Status {
	switch t {
	case TabPending:
		return []Status{StatusPending}
	case TabUpcoming:
		return []Status{StatusConfirmed, StatusAwaitingPayment}
	case TabPast:
		return []Status{StatusConfirmed}
	case TabCancelled:
		return FinalStatuses()
	}
	return nil
}

// BookingFilter selects a page of bookings.
type BookingFilter struct {
	Tab            Tab
	Now            time.Time
	PractitionerID string // optional
	Cursor         string // opaque, from the previous page
	Limit          int
}

// AuthToken is a sign-in: a browser session or an API bearer token.
type AuthToken struct {
	Hash      string
	UserID    string
	Kind      string // "session" or "api"
	CreatedAt time.Time
	ExpiresAt time.Time
	// ID names the token on the account page (the hash never leaves the
	// server); Name is an API token's label.
	ID   string
	Name string
	// LastUsedAt and LastUsedFrom (a client address) are written at most
	// once a minute; a session unused for SessionIdle ends.
	LastUsedAt   time.Time
	LastUsedFrom string
}
