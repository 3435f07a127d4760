package daoyue

import "time"

// MailKind is what a message to a client is about (PRODUCT.md, "Payments
// and notifications").
type MailKind string

const (
	MailReceived        MailKind = "received"         // submitted; waits for the studio or for payment
	MailPaymentRequired MailKind = "payment_required" // pay by the deadline to keep the time
	MailConfirmed       MailKind = "confirmed"        // 成立: with the join link of an online booking
	MailRescheduled     MailKind = "rescheduled"
	MailCancelled       MailKind = "cancelled"
	MailDeclined        MailKind = "declined"
	MailExpired         MailKind = "expired"
	// MailPaymentDetails: the ATM account or store payment code the
	// client pays to, with its deadline (ECPay). Never a join link.
	MailPaymentDetails MailKind = "payment_details"
	// MailRefund: money is owed back without the booking changing (paid
	// after the time was lost, paid twice), or some was given back.
	MailRefund MailKind = "refund"
)

// MailKinds lists every kind.
var MailKinds = []MailKind{MailReceived, MailPaymentRequired, MailConfirmed, MailRescheduled, MailCancelled, MailDeclined, MailExpired,
	MailPaymentDetails, MailRequestReceived, MailRequestRejected, MailReminder, MailRefund}

// The client's messages about a request (issue 12): received, and
// rejected with the studio's message. An approved request is told by the
// change it makes (rescheduled, cancelled).
const (
	MailRequestReceived MailKind = "request_received"
	MailRequestRejected MailKind = "request_rejected"
)

// StudioMailKinds lists the kinds of message sent to a studio's people
// rather than to a client.
var StudioMailKinds = []MailKind{MailInvitation, MailNotice}

// CarriesMeeting reports whether a message of this kind about b is the one
// that gives the client the meeting's join link: a confirmation or a new
// time of a confirmed online booking. Such a message waits while the
// meeting sync runs, so it can carry the link of the meeting as it is.
func (k MailKind) CarriesMeeting(b *Booking) bool {
	return b.Online && b.Status == StatusConfirmed && (k == MailConfirmed || k == MailRescheduled)
}

// MailsFor says which messages a change of a booking from prev to b owes
// the client; prev is nil for a new booking. A new booking that waits
// (for the studio or for payment) gets "received", and one that waits for
// payment also gets "payment required" with the amount and deadline.
func MailsFor(prev, b *Booking) []MailKind {
	if prev == nil {
		switch b.Status {
		case StatusPending:
			return []MailKind{MailReceived}
		case StatusAwaitingPayment:
			return []MailKind{MailReceived, MailPaymentRequired}
		case StatusConfirmed:
			return []MailKind{MailConfirmed}
		}
		return nil
	}
	if prev.Status != b.Status {
		switch b.Status {
		case StatusAwaitingPayment:
			return []MailKind{MailPaymentRequired}
		case StatusConfirmed:
			return []MailKind{MailConfirmed}
		case StatusDeclined:
			return []MailKind{MailDeclined}
		case StatusCancelled:
			return []MailKind{MailCancelled}
		case StatusExpired:
			return []MailKind{MailExpired}
		}
		return nil
	}
	if !prev.Start.Equal(b.Start) || !prev.End.Equal(b.End) {
		return []MailKind{MailRescheduled}
	}
	if b.RefundOwed > prev.RefundOwed || b.Refunded > prev.Refunded {
		return []MailKind{MailRefund}
	}
	return nil
}

// MailStatus is where an outbox message stands.
type MailStatus string

const (
	MailQueued MailStatus = "queued" // the outbox's sender will deliver it (and retries on failure)
	MailSent   MailStatus = "sent"
	MailFailed MailStatus = "failed" // every attempt failed; LastError says why
	// MailKept: no SMTP server is configured (DAOYUE_SMTP_URL), so the
	// message is kept in the outbox unsent.
	MailKept MailStatus = "kept"
)

// OutboxMessage is one email to a client, composed inside the transaction
// of the change it reports and kept in the workspace's outbox (寄件匣).
//
// Text and HTML never hold the client's manage-link secret: where the link
// goes they hold ManageTokenPlaceholder, which the sender fills in from the
// booking's sealed token just before sending.
type OutboxMessage struct {
	ID          string
	WorkspaceID string
	BookingID   string
	Kind        MailKind
	Language    string
	FromName    string // the studio's name, shown as the sender
	ReplyTo     string // the studio's contact email then ("" for none)
	Recipient   string
	Subject     string
	Text        string
	HTML        string
	// ICS is the calendar attachment ("" for none) and ICSMethod its
	// METHOD (REQUEST or CANCEL).
	ICS       string
	ICSMethod string
	Status    MailStatus
	Attempts  int
	LastError string // operator-facing cause of the last failure, never a secret
	CreatedAt time.Time
	SentAt    *time.Time
}

// ManageTokenPlaceholder stands for the client's manage-link secret in a
// stored message.
const ManageTokenPlaceholder = "__DAOYUE_MANAGE_TOKEN__"
