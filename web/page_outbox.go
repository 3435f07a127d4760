package web

import (
	"net/http"
	"net/url"

	"github.com/daoyue/daoyue"
)

// The outbox page (寄件匣): every email DaoYue wrote to the workspace's
// clients, newest first, with its state. Members only; no-store like every
// admin page (a confirmation holds the meeting's join link).

type outboxPage struct {
	Rows     []outboxRow
	Sending  bool
	NextURL  string
	FirstURL string
}

type outboxRow struct {
	M           *daoyue.OutboxMessage
	Kind        string
	Status      string
	StatusClass string // a badge-m-* colour; the word is always shown
	BookingURL  string
}

var (
	mailKindKeys = map[daoyue.MailKind]string{
		daoyue.MailReceived:        "mail.kind.received",
		daoyue.MailPaymentRequired: "mail.kind.payment_required",
		daoyue.MailPaymentDetails:  "mail.kind.payment_details",
		daoyue.MailConfirmed:       "mail.kind.confirmed",
		daoyue.MailRescheduled:     "mail.kind.rescheduled",
		daoyue.MailCancelled:       "mail.kind.cancelled",
		daoyue.MailDeclined:        "mail.kind.declined",
		daoyue.MailExpired:         "mail.kind.expired",
		daoyue.MailInvitation:      "mail.kind.invitation",
		daoyue.MailNotice:          "mail.kind.notice",
		daoyue.MailRequestReceived: "mail.kind.request_received",
		daoyue.MailRequestRejected: "mail.kind.request_rejected",
		daoyue.MailReminder:        "mail.kind.reminder",
		daoyue.MailRefund:          "mail.kind.refund",
	}
	mailStatusKeys = map[daoyue.MailStatus]string{
		daoyue.MailQueued: "mail.status.queued",
		daoyue.MailSent:   "mail.status.sent",
		daoyue.MailFailed: "mail.status.failed",
		daoyue.MailKept:   "mail.status.kept",
	}
	mailStatusClass = map[daoyue.MailStatus]string{
		daoyue.MailQueued: "pending",
		daoyue.MailSent:   "created",
		daoyue.MailFailed: "failed",
		daoyue.MailKept:   "none",
	}
)

func (s *Server) outboxPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "outbox", "page.outbox.title")
	if err != nil {
		return err
	}
	cursor := r.URL.Query().Get("cursor")
	ob, err := s.App.Outbox(r.Context(), v.Admin.Workspace.Slug, cursor, 50)
	if err != nil {
		return err
	}
	p := &outboxPage{Sending: ob.Sending}
	for _, m := range ob.Messages {
		row := outboxRow{M: m, Kind: word(v, mailKindKeys, m.Kind, "status.unknown"),
			Status: word(v, mailStatusKeys, m.Status, "status.unknown"), StatusClass: mailStatusClass[m.Status]}
		if m.BookingID != "" {
			row.BookingURL = v.Base() + "/bookings/" + url.PathEscape(m.BookingID)
		}
		p.Rows = append(p.Rows, row)
	}
	if ob.NextCursor != "" {
		p.NextURL = v.Base() + "/outbox?cursor=" + url.QueryEscape(ob.NextCursor)
	}
	if cursor != "" {
		p.FirstURL = v.Base() + "/outbox"
	}
	v.Data = p
	s.render(w, r, http.StatusOK, "outbox", v)
	return nil
}
