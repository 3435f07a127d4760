package app

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/notify"
	"github.com/daoyue/daoyue/secret"
)

// Client notifications. Every change that the client must hear about
// composes its message inside the change's own transaction and writes it to
// the workspace's outbox, queued when a sender is configured; the outbox's
// sender (jobs/maildrain.go) claims queued messages and delivers them. So a
// message exists exactly when its change commits, and says what was true at
// that moment.
//
// A message that gives the client the meeting's join link (the confirmation
// of an online booking, or a new time of a confirmed one) waits while the
// meeting sync runs: the booking holds it (MailWaiting) and the sync's
// transaction sends it once Zoom has answered, with the link when the
// meeting exists and otherwise with the public instructions and a line that
// the studio will send the link. Before confirmation nothing but the public
// instructions is ever written (package notify enforces it).

// Mail configures client notifications. The zero value keeps every message
// in the outbox, unsent.
type Mail struct {
	// BaseURL is the public origin of links in emails ("" leaves them out).
	BaseURL string
	// From is the sender address: every email's From and its calendar
	// event's ORGANIZER.
	From string
	// Sender delivers messages; nil keeps them in the outbox ("kept").
	Sender notify.Sender
}

// Sending reports whether messages are sent (an SMTP server is configured)
// rather than only kept in the outbox.
func (a *App) Sending() bool { return a.Mail.Sender != nil }

// keyring seals manage tokens; nil without one (then emails after the
// first carry no manage link).
func (a *App) keyring() *secret.Keyring {
	if a.Zoom != nil && a.Zoom.Keys != nil {
		return a.Zoom.Keys
	}
	return a.Keys
}

func manageTokenContext(bookingID string) string { return "bookings/" + bookingID + "/manage_token" }

// sealManageToken encrypts a new booking's manage-link secret so that
// later emails can link to its manage page; only its hash is used to find
// the booking.
func (a *App) sealManageToken(bookingID, token string) (string, error) {
	k := a.keyring()
	if k == nil {
		return "", nil
	}
	return k.Encrypt([]byte(token), manageTokenContext(bookingID))
}

// notifyChange queues what a change of a booking from prev (nil: a new
// booking) to b owes the client. Call it after meetingChanged and before
// the booking is stored: it may hold a message for the meeting sync and
// counts calendar updates on b.
func (a *App) notifyChange(ctx context.Context, tx daoyue.Tx, prev, b *daoyue.Booking) error {
	for _, kind := range daoyue.MailsFor(prev, b) {
		if err := a.notify(ctx, tx, prev, b, kind); err != nil {
			return err
		}
	}
	return nil
}

// notify queues one message about b, or holds it while the meeting syncs.
func (a *App) notify(ctx context.Context, tx daoyue.Tx, prev, b *daoyue.Booking, kind daoyue.MailKind) error {
	switch kind {
	case daoyue.MailCancelled, daoyue.MailDeclined, daoyue.MailExpired:
		b.MailWaiting = "" // what waited for the meeting is moot now
	}
	if b.HoldsMail(kind) {
		// A confirmation still waiting covers a new time as well.
		if b.MailWaiting != daoyue.MailConfirmed {
			b.MailWaiting = kind
		}
		return nil
	}
	var previous *time.Time
	if prev != nil && kind == daoyue.MailRescheduled {
		previous = &prev.Start
	}
	return a.queueMail(ctx, tx, b, kind, false, previous)
}

// meetingSettled runs in the meeting sync's transaction after the sync
// recorded what Zoom did (action: "created", "moved", …, or ""). It sends
// the message held for the sync once the sync is no longer running, and a
// confirmation with the link when the meeting of a confirmed booking was
// only now made (the first confirmation went out without it).
func (a *App) meetingSettled(ctx context.Context, tx daoyue.Tx, b *daoyue.Booking, action string) error {
	m := &b.Meeting
	if m.Status == daoyue.MeetingFailed {
		if err := a.meetingFailedNotice(ctx, tx, b); err != nil {
			return err
		}
	}
	if b.MailWaiting != "" {
		if m.Status == daoyue.MeetingPending && m.SyncedVersion < m.Version {
			return nil // still syncing (retrying, or the booking changed again)
		}
		kind := b.MailWaiting
		b.MailWaiting = ""
		if !kind.CarriesMeeting(b) || !a.now().Before(b.End) {
			return nil // the booking moved on, or its session is over
		}
		return a.queueMail(ctx, tx, b, kind, false, nil)
	}
	if (action == "created" || action == "recreated") && daoyue.MailConfirmed.CarriesMeeting(b) &&
		m.ShowDetails() && a.now().Before(b.End) {
		return a.queueMail(ctx, tx, b, daoyue.MailConfirmed, true, nil)
	}
	return nil
}

// queueMail composes a message about b, keeps it in the outbox and, with a
// sender, enqueues its delivery, all in tx.
func (a *App) queueMail(ctx context.Context, tx daoyue.Tx, b *daoyue.Booking, kind daoyue.MailKind, followUp bool, previous *time.Time) error {
	return a.composeMail(ctx, tx, b, notify.Input{Kind: kind, FollowUp: followUp, Previous: previous})
}

// queuePaymentMail sends the client the ATM account or store code of p.
func (a *App) queuePaymentMail(ctx context.Context, tx daoyue.Tx, b *daoyue.Booking, p *daoyue.Payment) error {
	return a.composeMail(ctx, tx, b, notify.Input{Kind: daoyue.MailPaymentDetails, Payment: p})
}

// queueMailNote is queueMail with the studio's message to the client
// (a rejected request's).
func (a *App) queueMailNote(ctx context.Context, tx daoyue.Tx, b *daoyue.Booking, kind daoyue.MailKind, note string) error {
	return a.composeMail(ctx, tx, b, notify.Input{Kind: kind, StudioMessage: note})
}

// composeMail fills in the rest of in (the booking, its studio, service
// and practitioner, the links), composes it and queues it.
func (a *App) composeMail(ctx context.Context, tx daoyue.Tx, b *daoyue.Booking, in notify.Input) error {
	kind := in.Kind
	if b.Client.Email == "" {
		return nil // the client's data was erased: nobody to write to
	}
	ws, err := workspaceOf(ctx, tx, b.WorkspaceID)
	if err != nil {
		return err
	}
	svc, err := a.serviceIn(ctx, tx, ws, b.ServiceID)
	if err != nil {
		return err
	}
	p, err := a.practitionerIn(ctx, tx, ws, b.PractitionerID)
	if err != nil {
		return err
	}
	in.Workspace, in.Service, in.Practitioner, in.Booking = ws, svc, p, b
	in.BaseURL, in.ManageLink = a.Mail.BaseURL, b.ManageTokenSealed != "" && a.keyring() != nil
	in.Organizer, in.Now = a.Mail.From, a.now()
	if kind == daoyue.MailPaymentRequired && in.ManageLink && a.Mail.BaseURL != "" {
		// The pay link is the manage link's: its secret is filled in by
		// the sender, like the manage link's own.
		ready, err := a.ecpayReady(ctx, tx, b.WorkspaceID)
		if err != nil {
			return err
		}
		if ready {
			in.PaymentURL = strings.TrimRight(a.Mail.BaseURL, "/") + "/b/" + daoyue.ManageTokenPlaceholder + "/pay"
		}
	}
	msg, err := notify.Compose(in)
	if err != nil {
		return err
	}
	if msg.ICS != "" {
		b.CalendarSeq++
	}
	out := &daoyue.OutboxMessage{ID: daoyue.NewID("ml"), WorkspaceID: b.WorkspaceID, BookingID: b.ID, Kind: kind,
		Language: msg.Language, FromName: ws.Name, ReplyTo: ws.ContactEmail, Recipient: b.Client.Email, Subject: msg.Subject, Text: msg.Text,
		HTML: msg.HTML, ICS: msg.ICS, ICSMethod: msg.ICSMethod, Status: daoyue.MailKept, CreatedAt: a.now()}
	if a.Sending() {
		out.Status = daoyue.MailQueued
	}
	if err := tx.AddOutbox(ctx, out); err != nil {
		return err
	}
	// The same message on LINE, when the client linked it (line.go).
	return a.queueLine(ctx, tx, b, in)
}

// ClaimedMail is a queued message claimed for sending, with its booking
// (nil: none, or deleted since).
type ClaimedMail struct {
	Message *daoyue.OutboxMessage
	Booking *daoyue.Booking
}

// ClaimMail takes up to limit queued messages that are due, for this
// sender, for lease: another instance takes them after that only if this
// one never marked them (it died while sending). Their bookings (for the
// manage link's secret) are read after, all in one read transaction, off
// SQLite's one writer.
func (a *App) ClaimMail(ctx context.Context, limit int, lease time.Duration) ([]*ClaimedMail, error) {
	var msgs []*daoyue.OutboxMessage
	now := a.now()
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
		var err error
		msgs, err = tx.ClaimOutbox(ctx, now, now.Add(lease), limit)
		return err
	})
	if err != nil || len(msgs) == 0 {
		return nil, err
	}
	out := make([]*ClaimedMail, len(msgs))
	err = a.Store.View(ctx, func(tx daoyue.Tx) error {
		for i, m := range msgs {
			b, err := mailBooking(ctx, tx, m)
			if err != nil {
				return err
			}
			out[i] = &ClaimedMail{Message: m, Booking: b}
		}
		return nil
	})
	if err != nil {
		// Claimed but not sent: they go when their claim ends.
		return nil, err
	}
	return out, nil
}

// mailBooking is the booking m is about (nil: none, or deleted).
func mailBooking(ctx context.Context, tx daoyue.Tx, m *daoyue.OutboxMessage) (*daoyue.Booking, error) {
	if m.BookingID == "" {
		return nil, nil
	}
	b, err := tx.Booking(ctx, m.WorkspaceID, m.BookingID)
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return nil, nil // deleted (sandbox reset): send without the manage link
	}
	return b, err
}

// DeliverMail sends a claimed message without recording the success: the
// sender records a batch of them at once with RecordMailSent (one write
// instead of one per message). A failure is recorded here and returned:
// the message is due again after retryIn or, when final (the last
// attempt), failed for good. sent is false for a message that is not
// queued any more. The manage link's secret is filled in only here, from the
// booking's sealed token, so the outbox never holds it.
func (a *App) DeliverMail(ctx context.Context, c *ClaimedMail, final bool, retryIn time.Duration) (sent bool, err error) {
	msg, b := c.Message, c.Booking
	retryAt := a.now().Add(retryIn)
	if msg.Status != daoyue.MailQueued {
		return false, nil // sent already, or given up on
	}
	log := a.Log.With(slog.String("message", msg.ID), slog.String("kind", string(msg.Kind)))
	if !a.Sending() {
		return false, a.mailFailed(ctx, log, msg, fmt.Errorf("no SMTP server is configured (DAOYUE_SMTP_URL)"), true, retryAt)
	}
	token := ""
	if b != nil && b.ManageTokenSealed != "" && a.keyring() != nil {
		raw, err := a.keyring().Decrypt(b.ManageTokenSealed, manageTokenContext(b.ID))
		if err != nil {
			log.Warn("manage link left out of an email: its sealed token does not open (key removed?)", slog.String("booking", b.ID))
		} else {
			token = string(raw)
		}
	}
	if msg.Kind == daoyue.MailInvitation {
		var err error
		if token, err = a.invitationToken(ctx, msg); err != nil {
			log.Warn("invitation link left out of an email: its sealed token does not open (key removed?)")
		}
	}
	err = a.Mail.Sender.Send(ctx, &notify.Email{MessageID: msg.ID + "@daoyue", FromName: msg.FromName, ReplyTo: msg.ReplyTo, To: msg.Recipient,
		Subject: msg.Subject, Text: notify.FillManageToken(msg.Text, token), HTML: notify.FillManageToken(msg.HTML, token),
		ICS: msg.ICS, ICSMethod: msg.ICSMethod})
	if err != nil {
		return false, a.mailFailed(ctx, log, msg, err, final, retryAt)
	}
	return true, nil
}

// RecordMailSent records delivered messages as sent, all in one write. A
// message deleted meanwhile (a sandbox reset) is passed over. Until this
// commits, a message sent is still claimed: a crash here sends it again
// when its claim ends (with the same Message-ID, which lets mail clients
// drop the copy).
func (a *App) RecordMailSent(ctx context.Context, sent []*ClaimedMail) error {
	if len(sent) == 0 {
		return nil
	}
	now := a.now()
	err := a.Store.Update(context.WithoutCancel(ctx), func(tx daoyue.Tx) error {
		for _, c := range sent {
			err := tx.MarkOutboxSent(ctx, c.Message.WorkspaceID, c.Message.ID, now)
			if err != nil && !daoyue.IsCode(err, daoyue.ENOTFOUND) {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, c := range sent {
		a.Log.Info("email sent", slog.String("message", c.Message.ID), slog.String("kind", string(c.Message.Kind)))
	}
	return nil
}

// mailFailed records a failed attempt, due again at retryAt (or, when
// final, the message failed for good), and returns cause.
func (a *App) mailFailed(ctx context.Context, log *slog.Logger, msg *daoyue.OutboxMessage, cause error, final bool, retryAt time.Time) error {
	text := cause.Error()
	if len(text) > 500 {
		text = text[:500]
	}
	err := a.Store.Update(context.WithoutCancel(ctx), func(tx daoyue.Tx) error {
		return tx.MarkOutboxFailed(ctx, msg.WorkspaceID, msg.ID, text, final, retryAt)
	})
	if err != nil && !daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return err
	}
	// The SMTP answer often names the recipient: the outbox shows it to
	// the studio, the log does not.
	log.Warn("sending email failed", slog.Bool("final", final),
		slog.String("error", strings.ReplaceAll(text, msg.Recipient, "[recipient]")))
	return cause
}

// Outbox is one page of a workspace's outbox.
type Outbox struct {
	Workspace  *daoyue.Workspace
	Member     *daoyue.Member
	Messages   []*daoyue.OutboxMessage
	NextCursor string
	// Sending is false when no SMTP server is configured: messages are
	// kept here unsent.
	Sending bool
}

// Outbox lists a workspace's messages, newest first, for its members. The
// manage link's secret is never in them (the stored placeholder is masked
// for display); the join link of a confirmation is: members may see it.
func (a *App) Outbox(ctx context.Context, slug, cursor string, limit int) (*Outbox, error) {
	if limit < 0 || limit > 200 {
		return nil, daoyue.FieldErrors{"limit": "error.limit"}.Err()
	}
	out := &Outbox{Sending: a.Sending()}
	err := a.memberView(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if err := requireStudioWide(m); err != nil {
			return err
		}
		out.Workspace, out.Member = ws, m
		var err error
		out.Messages, out.NextCursor, err = tx.ListOutbox(ctx, ws.ID, cursor, limit)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, m := range out.Messages {
		m.Text, m.HTML = notify.MaskManageToken(m.Text), notify.MaskManageToken(m.HTML)
	}
	return out, nil
}

// ReencryptManageTokens seals every booking's manage token under the
// keyring's newest key (part of `daoyue keys reencrypt`).
func (a *App) ReencryptManageTokens(ctx context.Context) (int, error) {
	k := a.keyring()
	if k == nil {
		return 0, nil
	}
	n, after := 0, ""
	for {
		var bs []*daoyue.Booking
		if err := a.Store.View(ctx, func(tx daoyue.Tx) error {
			var err error
			bs, err = tx.BookingsWithSealedToken(ctx, after, 200)
			return err
		}); err != nil {
			return n, err
		}
		if len(bs) == 0 {
			return n, nil
		}
		for _, b := range bs {
			after = b.ID
			sealed, changed, err := k.Reencrypt(b.ManageTokenSealed, manageTokenContext(b.ID))
			if err != nil {
				return n, fmt.Errorf("booking %s manage token: %w", b.ID, err)
			}
			if !changed {
				continue
			}
			err = a.Store.Update(ctx, func(tx daoyue.Tx) error { return tx.SetManageTokenSealed(ctx, b.WorkspaceID, b.ID, sealed) })
			if err != nil && !daoyue.IsCode(err, daoyue.ENOTFOUND) {
				return n, err
			}
			n++
		}
	}
}

// purgeMail erases the meeting details of b from its messages in the
// outbox (the Zoom data purge after the app is removed in the Marketplace):
// a confirmation keeps its words, with the join URL, meeting ID and
// passcode replaced by a note that they were removed.
func (a *App) purgeMail(ctx context.Context, tx daoyue.Tx, b *daoyue.Booking) error {
	m := b.Meeting
	if m.JoinURL == "" && m.Passcode == "" && m.ZoomID == 0 {
		return nil
	}
	msgs, err := tx.OutboxOfBooking(ctx, b.WorkspaceID, b.ID)
	if err != nil {
		return err
	}
	for _, msg := range msgs {
		if notify.Redact(msg, m.JoinURL, m.Passcode, strconv.FormatInt(m.ZoomID, 10)) {
			if err := tx.RewriteOutbox(ctx, msg); err != nil {
				return err
			}
		}
	}
	return nil
}
