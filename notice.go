package daoyue

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Notices (issue 12): emails to a studio's own people about its bookings,
// beside the messages to clients (mail.go). Each member chooses which kinds
// they get; the practitioner linked to a member gets the notices of their
// own bookings, owners and admins the studio's.

// NoticeKind is what a notice to the studio is about.
type NoticeKind string

const (
	NoticeAwaitingAcceptance NoticeKind = "awaiting_acceptance" // a booking waits for the studio's confirmation
	NoticeRequest            NoticeKind = "request"             // a client's reschedule or cancel request waits for approval
	NoticePayment            NoticeKind = "payment"             // a transfer reported, or a payment received
	NoticeExpired            NoticeKind = "expired"             // a booking expired unpaid
	NoticeMeetingFailed      NoticeKind = "meeting_failed"      // a meeting could not be created or moved
	NoticeZoomReauth         NoticeKind = "zoom_reauth"         // a Zoom connection needs re-authorizing (daily until fixed)
	NoticeAgenda             NoticeKind = "agenda"              // a practitioner's bookings of the day, in the morning
)

// NoticeKinds lists every kind, in the order the preferences show them.
var NoticeKinds = []NoticeKind{NoticeAwaitingAcceptance, NoticeRequest, NoticePayment, NoticeExpired,
	NoticeMeetingFailed, NoticeZoomReauth, NoticeAgenda}

// MailNotice is the outbox kind of every notice to the studio.
const MailNotice MailKind = "notice"

// NoticeFor says which notice (if any) a booking change owes the studio,
// from the audit action of the change and the booking after it.
func NoticeFor(action string, b *Booking) NoticeKind {
	switch action {
	case "booking.submitted":
		if b.Status == StatusPending {
			return NoticeAwaitingAcceptance
		}
	case "request.created":
		return NoticeRequest
	case "booking.transfer_reported", "booking.paid", "booking.transfer_confirmed", "booking.payment_recorded":
		return NoticePayment
	case "booking.expired":
		return NoticeExpired
	}
	return ""
}

// NoticeGets reports whether a member in role gets notices of kind about
// a booking of practitioner pid (pid "" for a notice of the whole studio,
// such as a practitioner's Zoom connection when pid is the practitioner).
// Owners and admins get the studio's notices; a practitioner member the
// ones of their own bookings and connection; staff, who handle bookings
// but not Zoom, get the booking notices only. The agenda is a
// practitioner's own.
func (m *Member) NoticeGets(kind NoticeKind, pid string) bool {
	switch m.Role {
	case RoleOwner, RoleAdmin:
		return kind != NoticeAgenda
	case RoleStaff:
		return kind != NoticeAgenda && kind != NoticeZoomReauth
	case RolePractitioner:
		return pid != "" && m.PractitionerID == pid
	}
	return false
}

// NoticeDefault is whether a member gets kind before choosing: every
// notice they may get is on, except for staff, who opt in.
func (m *Member) NoticeDefault(kind NoticeKind) bool {
	return m.Role != RoleStaff
}

// NoticePrefStore keeps each member's choices of notices. Only choices
// made are stored; a kind without one follows NoticeDefault.
type NoticePrefStore interface {
	// NoticePrefs returns every member's choices, by user id.
	NoticePrefs(ctx context.Context, workspaceID string) (map[string]map[NoticeKind]bool, error)
	// SetNoticePrefs stores one member's choices.
	SetNoticePrefs(ctx context.Context, workspaceID, userID string, on map[NoticeKind]bool) error
	// ClaimNotice records that the notice named key (a daily one: the
	// date is in the key) is sent, and reports false when it already was.
	ClaimNotice(ctx context.Context, workspaceID, key string, at time.Time) (bool, error)
}

// Reminders before a session (client messages, MailReminder).

// MailReminder is a reminder to the client before the session.
const MailReminder MailKind = "reminder"

// DefaultReminders are a new service's reminders: 24 hours and 1 hour
// before the session, in minutes.
var DefaultReminders = []int{24 * 60, 60}

// MaxReminderMin is the earliest a reminder may go: a week before.
const MaxReminderMin = 7 * 24 * 60

// Reminder is one reminder scheduled for a confirmed booking: due at its
// start less Minutes. A reschedule replaces the unsent ones; a
// cancellation drops them.
type Reminder struct {
	ID          string
	WorkspaceID string
	BookingID   string
	Minutes     int
	DueAt       time.Time
	SentAt      *time.Time
}

// RemindersFor are the reminders a booking in state b is owed from now:
// none unless it is confirmed; one per lead of the service whose moment
// is still ahead.
func RemindersFor(b *Booking, leads []int, now time.Time) []Reminder {
	if b.Status != StatusConfirmed {
		return nil
	}
	var out []Reminder
	for _, m := range leads {
		due := b.Start.Add(-time.Duration(m) * time.Minute)
		if m <= 0 || !due.After(now) {
			continue
		}
		out = append(out, Reminder{ID: NewID("rm"), WorkspaceID: b.WorkspaceID, BookingID: b.ID, Minutes: m, DueAt: due})
	}
	return out
}

// ReminderStore keeps scheduled reminders.
type ReminderStore interface {
	// SetReminders replaces the booking's unsent reminders with rs (none: dropped).
	SetReminders(ctx context.Context, workspaceID, bookingID string, rs []Reminder) error
	// AddReminders adds rs to a booking that has none yet (a new one).
	AddReminders(ctx context.Context, workspaceID, bookingID string, rs []Reminder) error
	// DueReminders lists unsent reminders (any workspace) due at now, earliest first.
	DueReminders(ctx context.Context, now time.Time, limit int) ([]*Reminder, error)
	// MarkReminderSent marks one sent; false when it was already, or is gone.
	MarkReminderSent(ctx context.Context, workspaceID, id string, at time.Time) (bool, error)
	// ConfirmedStarting lists confirmed bookings (any workspace) that
	// start in [from, to), by start (the daily agendas).
	ConfirmedStarting(ctx context.Context, from, to time.Time, limit int) ([]*Booking, error)
}

// FormatReminders writes reminder leads as stored: "1440,60".
func FormatReminders(ms []int) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = strconv.Itoa(m)
	}
	return strings.Join(parts, ",")
}

// ParseReminders reads stored (or typed) reminder leads, largest first,
// without repeats; what is not a number is left out.
func ParseReminders(s string) []int {
	var out []int
	for _, p := range strings.Split(s, ",") {
		if m, err := strconv.Atoi(strings.TrimSpace(p)); err == nil && !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out
}
