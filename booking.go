package daoyue

import (
	"strings"
	"time"
)

// Status is a booking's lifecycle state (PRODUCT.md, "Booking lifecycle").
type Status string

const (
	StatusPending         Status = "pending"          // 待確認: waits for the studio
	StatusAwaitingPayment Status = "awaiting_payment" // 待付款
	StatusConfirmed       Status = "confirmed"        // 已排程 (成立)
	StatusDeclined        Status = "declined"
	StatusCancelled       Status = "cancelled"
	StatusExpired         Status = "expired" // payment deadline passed
)

// Final reports whether the booking no longer holds its slot.
func (s Status) Final() bool {
	return s == StatusDeclined || s == StatusCancelled || s == StatusExpired
}

// Statuses lists every booking status, in lifecycle order.
var Statuses = []Status{StatusPending, StatusAwaitingPayment, StatusConfirmed, StatusDeclined, StatusCancelled, StatusExpired}

// FinalStatuses returns the statuses that no longer hold a slot (Final), in
// the order of Statuses.
func FinalStatuses() []Status {
	var out []Status
	for _, s := range Statuses {
		if s.Final() {
			out = append(out, s)
		}
	}
	return out
}

// PaymentStatus records what is known about payment.
type PaymentStatus string

const (
	PaymentNotRequired PaymentStatus = "not_required"
	PaymentUnpaid      PaymentStatus = "unpaid"
	PaymentPaid        PaymentStatus = "paid"
	// PaymentReportedByClient: the client reported a bank transfer that
	// the studio has not checked yet; the booking waits past its deadline.
	PaymentReportedByClient PaymentStatus = "reported"
)

// Client is who booked.
type Client struct {
	Name  string
	Email string
	Phone string
}

// Booking (預約) is a client's reservation of one practitioner's time.
// Times are UTC instants; they are shown in the workspace's zone.
type Booking struct {
	ID             string
	WorkspaceID    string
	ServiceID      string
	PractitionerID string // 接案老師: who delivers it
	HostID         string // whose meeting tool hosts it (assigned or designated)
	Start          time.Time
	End            time.Time
	// Buffers are copied from the service at booking time so that a later
	// change to the service does not move what this booking blocks.
	BufferBefore int
	BufferAfter  int
	Online       bool
	Status       Status
	Client       Client
	Note         string
	Language     string
	// ManageTokenHash is the hash of the client's manage link secret.
	ManageTokenHash string
	Price           Money
	PaymentStatus   PaymentStatus
	PaymentMethod   string
	PaymentNote     string
	PaidAt          *time.Time
	PaymentDueAt    *time.Time
	// RefundOwed is money received that the studio owes back (a paid
	// booking cancelled, a payment after the slot was lost, a double
	// payment); Refunded what it has given back. Minor units of Price.
	RefundOwed   int64
	Refunded     int64
	CancelReason string
	Meeting      Meeting
	CreatedAt    time.Time
	UpdatedAt    time.Time

	// ManageTokenSealed is the manage link secret encrypted with the
	// keyring (bound to the booking), so that later emails can carry the
	// manage link; "" when there is none. It never changes after submission.
	ManageTokenSealed string
	// MailWaiting is a message to the client held until the meeting sync
	// settles, so that it can carry the meeting as it is ("" for none).
	MailWaiting MailKind
	// CalendarSeq counts the calendar (.ics) updates sent to the client: the
	// next one carries it as its SEQUENCE.
	CalendarSeq int
}

// Block is the interval the booking keeps from other bookings: the session
// with its buffers.
func (b *Booking) Block() Interval {
	return BlockFor(b.Start, b.End, b.BufferBefore, b.BufferAfter)
}

// BlockFor returns a session's interval widened by its buffers.
func BlockFor(start, end time.Time, before, after int) Interval {
	return Interval{start.Add(-time.Duration(before) * time.Minute), end.Add(time.Duration(after) * time.Minute)}
}

// Languages the product speaks.
const (
	LangZH = "zh-TW"
	LangEN = "en"
)

// NormalizeLanguage maps anything that is not English to zh-TW, the default.
func NormalizeLanguage(s string) string {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), "en") {
		return LangEN
	}
	return LangZH
}

// Lengths of what a client types, in characters.
const (
	MaxClientName    = 100
	MaxNote          = 2000
	MaxRequestReason = 1000
)

// ValidateClient checks what a client types into the booking form.
func ValidateClient(c Client, note string) FieldErrors {
	f := FieldErrors{}
	CheckLine(f, "client.name", c.Name, 1, MaxClientName)
	if c.Email == "" {
		f.Add("client.email", "error.required")
	} else if !ValidEmail(c.Email) {
		f.Add("client.email", "error.email")
	}
	if c.Phone != "" {
		if len(c.Phone) > 30 || strings.Trim(c.Phone, "+0123456789 -()#") != "" {
			f.Add("client.phone", "error.phone")
		}
	}
	checkText(f, "note", note, 0, MaxNote)
	return f
}

// InitialStatus is the state a new booking of svc starts in.
func InitialStatus(svc *Service) Status {
	if svc.Confirmation == ConfirmManual {
		return StatusPending
	}
	return statusAfterAcceptance(svc)
}

func statusAfterAcceptance(svc *Service) Status {
	if svc.Payment == PaymentBefore {
		return StatusAwaitingPayment
	}
	return StatusConfirmed
}

// errTransition is returned for every action the lifecycle does not allow.
func errTransition(action string, from Status) error {
	return Errorf(ETRANSITION, "error.transition").With("action", action).With("status", string(from))
}

// Enter sets the fields that go with entering status s at now.
func (b *Booking) enter(s Status, svc *Service, now time.Time) {
	b.Status = s
	b.UpdatedAt = now
	if s == StatusAwaitingPayment {
		due := now.Add(time.Duration(svc.PaymentDeadlineMin) * time.Minute)
		b.PaymentDueAt = &due
	}
}

// Submitted initialises a new booking's state from its service.
func (b *Booking) Submitted(svc *Service, now time.Time) {
	b.PaymentStatus = PaymentNotRequired
	if svc.Payment == PaymentBefore {
		b.PaymentStatus = PaymentUnpaid
	}
	b.CreatedAt = now
	b.enter(InitialStatus(svc), svc, now)
}

// CanAccept reports whether the studio may still accept or decline the
// booking: only while it waits for them.
func (b *Booking) CanAccept() bool { return b.Status == StatusPending }

// Accept is the studio's yes to a pending booking.
func (b *Booking) Accept(svc *Service, now time.Time) error {
	if !b.CanAccept() {
		return errTransition("accept", b.Status)
	}
	b.enter(statusAfterAcceptance(svc), svc, now)
	return nil
}

// Decline is the studio's no to a pending booking.
func (b *Booking) Decline(now time.Time) error {
	if !b.CanAccept() {
		return errTransition("decline", b.Status)
	}
	b.Status, b.UpdatedAt = StatusDeclined, now
	return nil
}

// PaymentOwed reports whether a payment is owed that the studio may record:
// the booking awaits it, or is confirmed with payment still unpaid (to be
// paid at the studio, say). PaymentReceived accepts every such booking; it
// also takes a payment nobody asked for on a confirmed booking, which is
// not offered.
func (b *Booking) PaymentOwed() bool {
	if b.PaymentStatus == PaymentPaid {
		return false
	}
	return b.Status == StatusAwaitingPayment || b.Status == StatusConfirmed && b.PaymentStatus == PaymentUnpaid
}

// PaymentReceived records completed payment. Only completed payment
// confirms an awaiting booking; it may also be recorded on a confirmed
// booking that has not been paid (paid at the studio, say).
func (b *Booking) PaymentReceived(method, note string, now time.Time) error {
	if b.PaymentStatus == PaymentPaid {
		return Errorf(ETRANSITION, "error.already_paid")
	}
	switch b.Status {
	case StatusAwaitingPayment:
		b.Status = StatusConfirmed
	case StatusConfirmed:
	default:
		return errTransition("payment", b.Status)
	}
	b.PaymentStatus, b.PaymentMethod, b.PaymentNote, b.PaidAt, b.UpdatedAt = PaymentPaid, method, note, &now, now
	return nil
}

// Expire frees an unpaid booking whose deadline has passed.
func (b *Booking) Expire(now time.Time) error {
	if b.Status != StatusAwaitingPayment || b.PaymentDueAt == nil || now.Before(*b.PaymentDueAt) ||
		b.PaymentStatus == PaymentReportedByClient {
		return errTransition("expire", b.Status)
	}
	b.Status, b.UpdatedAt = StatusExpired, now
	return nil
}

// Cancel ends a booking that has not ended yet.
func (b *Booking) Cancel(reason string, now time.Time) error {
	if b.Status.Final() || !now.Before(b.End) {
		return errTransition("cancel", b.Status)
	}
	b.Status, b.CancelReason, b.UpdatedAt = StatusCancelled, reason, now
	if b.PaymentStatus == PaymentPaid {
		b.RefundOwed = b.Price.Amount - b.Refunded // the studio refunds, or waives it under its policy
	}
	return nil
}

// CanChange reports whether the booking may still be moved or cancelled.
func (b *Booking) CanChange(now time.Time) bool { return canChange(b.Status, b.End, now) }

func canChange(s Status, end, now time.Time) bool { return !s.Final() && now.Before(end) }

// Move gives the booking a new time (an approved or direct reschedule).
func (b *Booking) Move(start, end time.Time, now time.Time) error {
	if !b.CanChange(now) {
		return errTransition("reschedule", b.Status)
	}
	b.Start, b.End, b.UpdatedAt = start, end, now
	return nil
}

// RequestKind is what a client asks the studio to approve.
type RequestKind string

const (
	RequestReschedule RequestKind = "reschedule"
	RequestCancel     RequestKind = "cancel"
)

// RequestStatus is where a request stands.
type RequestStatus string

const (
	RequestOpen      RequestStatus = "open"
	RequestApproved  RequestStatus = "approved"
	RequestRejected  RequestStatus = "rejected"
	RequestWithdrawn RequestStatus = "withdrawn" // superseded, or the booking ended first
)

// Request is a client's reschedule or cancel request. An open reschedule
// request holds its new slot until it is decided.
type Request struct {
	ID          string
	WorkspaceID string
	BookingID   string
	Kind        RequestKind
	Status      RequestStatus
	NewStart    *time.Time
	NewEnd      *time.Time
	Reason      string // the client's words
	Message     string // the studio's answer on rejection
	CreatedAt   time.Time
	DecidedAt   *time.Time
	DecidedBy   string
}

// Decide closes an open request.
func (r *Request) Decide(s RequestStatus, by, message string, now time.Time) error {
	if r.Status != RequestOpen {
		return Errorf(ETRANSITION, "error.request_closed")
	}
	r.Status, r.DecidedBy, r.Message, r.DecidedAt = s, by, message, &now
	return nil
}
