// Package notify writes DaoYue's emails to clients and sends them over SMTP.
//
// Compose turns one booking event into a message: subject, plain text,
// HTML and, on a confirmation or a change of a confirmed booking, an
// iCalendar (.ics) attachment. It is pure: the app calls it inside the
// transaction of the change and keeps the result in the outbox; a job hands
// it to an SMTP sender (smtp.go) afterwards.
//
// The privacy rule lives here: the private meeting details (join URL,
// meeting ID, passcode) are written only into a message that confirms an
// online booking, or gives a confirmed one a new time, and only while its
// meeting exists. Every other message carries the service's public online
// instructions and nothing else about the meeting.
package notify

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
)

// Input is what a message is composed from.
type Input struct {
	Kind         daoyue.MailKind
	Workspace    *daoyue.Workspace
	Service      *daoyue.Service
	Practitioner *daoyue.Practitioner // may be nil
	Booking      *daoyue.Booking
	// Previous is the former start of a rescheduled booking (optional).
	Previous *time.Time
	// BaseURL is the public origin for links; "" leaves links out.
	BaseURL string
	// ManageLink adds the manage link, {BaseURL}/b/ followed by
	// daoyue.ManageTokenPlaceholder, which the sender fills in.
	ManageLink bool
	// PaymentURL is a payment provider's checkout link, if there is one.
	PaymentURL string
	// Payment is the attempt whose ATM account or store code a
	// MailPaymentDetails message gives.
	Payment *daoyue.Payment
	// Organizer is the sender's address, the calendar event's ORGANIZER.
	Organizer string
	// FollowUp marks a confirmation sent again because the meeting now
	// exists (the first one went out without the link).
	FollowUp bool
	// Now stamps the calendar file.
	Now time.Time
	// StudioMessage is the studio's words to the client (a rejected
	// request's), shown as they are.
	StudioMessage string
}

// Message is a composed email.
type Message struct {
	Language  string
	Subject   string
	Text      string
	HTML      string
	ICS       string // "" for none
	ICSMethod string // REQUEST or CANCEL
}

// ShowsMeetingDetails reports whether a message of kind about b may carry
// the private meeting details: only a confirmation or a new time of a
// confirmed online booking whose meeting exists.
func ShowsMeetingDetails(kind daoyue.MailKind, b *daoyue.Booking) bool {
	return carriesJoin(kind, b) && b.Meeting.ShowDetails()
}

// carriesJoin: the messages that carry the join link when the meeting
// exists: those of MailKind.CarriesMeeting, and the reminder of a
// confirmed online booking (issue 12).
func carriesJoin(kind daoyue.MailKind, b *daoyue.Booking) bool {
	return kind.CarriesMeeting(b) || kind == daoyue.MailReminder && b.Online && b.Status == daoyue.StatusConfirmed
}

// The subject and first paragraph of each kind.
var (
	subjectKeys = map[daoyue.MailKind]string{
		daoyue.MailReceived:        "mail.subject.received",
		daoyue.MailPaymentRequired: "mail.subject.payment_required",
		daoyue.MailConfirmed:       "mail.subject.confirmed",
		daoyue.MailRescheduled:     "mail.subject.rescheduled",
		daoyue.MailCancelled:       "mail.subject.cancelled",
		daoyue.MailDeclined:        "mail.subject.declined",
		daoyue.MailExpired:         "mail.subject.expired",
		daoyue.MailPaymentDetails:  "mail.subject.payment_details",
		daoyue.MailRequestReceived: "mail.subject.request_received",
		daoyue.MailRequestRejected: "mail.subject.request_rejected",
		daoyue.MailReminder:        "mail.subject.reminder",
		daoyue.MailRefund:          "mail.subject.refund",
	}
	leadKeys = map[daoyue.MailKind]string{
		daoyue.MailReceived:        "mail.lead.received",
		daoyue.MailPaymentRequired: "mail.lead.payment_required",
		daoyue.MailConfirmed:       "mail.lead.confirmed",
		daoyue.MailRescheduled:     "mail.lead.rescheduled",
		daoyue.MailCancelled:       "mail.lead.cancelled",
		daoyue.MailDeclined:        "mail.lead.declined",
		daoyue.MailExpired:         "mail.lead.expired",
		daoyue.MailPaymentDetails:  "mail.lead.payment_details",
		daoyue.MailRequestReceived: "mail.lead.request_received",
		daoyue.MailRequestRejected: "mail.lead.request_rejected",
		daoyue.MailReminder:        "mail.lead.reminder",
		daoyue.MailRefund:          "mail.lead.refund",
	}
)

// doc is a message's content before it is written as text and as HTML.
type doc struct {
	Lang     string
	Greeting string
	Lead     []string
	Rows     []row
	Sections []section
	Links    []link
	Notes    []string
	Footer   string
}

type row struct{ Label, Value string }

type section struct {
	Heading string
	Rows    []row
	Lines   []string
	Link    *link
}

type link struct{ Label, URL string }

// Compose writes the message of in.Kind about in.Booking in the booking's
// language, with times in the workspace's zone.
func Compose(in Input) (*Message, error) {
	d, msg, err := composeDoc(in)
	if err != nil {
		return nil, err
	}
	msg.Text, msg.HTML = d.text(), d.html()
	return msg, nil
}

// composeDoc is Compose up to the body: the content, the subject and the
// calendar.
func composeDoc(in Input) (*doc, *Message, error) {
	b, ws, svc := in.Booking, in.Workspace, in.Service
	if b == nil || ws == nil || svc == nil {
		return nil, nil, errors.New("notify: compose needs the booking, its workspace and its service")
	}
	if _, known := subjectKeys[in.Kind]; !known {
		return nil, nil, errors.New("notify: unknown message kind " + strconv.Quote(string(in.Kind)))
	}
	lang := daoyue.NormalizeLanguage(b.Language)
	t := func(key string, kv ...any) string {
		args := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			args[kv[i].(string)] = kv[i+1]
		}
		return i18n.T(lang, key, args)
	}
	loc := ws.Location()
	deadline := ""
	if b.PaymentDueAt != nil {
		deadline = formatAt(lang, *b.PaymentDueAt, loc)
	}
	join := ShowsMeetingDetails(in.Kind, b)
	subjectKey, leadKey := subjectKeys[in.Kind], leadKeys[in.Kind]
	switch {
	case in.Kind == daoyue.MailReceived && b.Status == daoyue.StatusAwaitingPayment:
		leadKey = "mail.lead.received_pay_first"
	case in.Kind == daoyue.MailConfirmed && in.FollowUp && join:
		subjectKey, leadKey = "mail.subject.meeting_ready", "mail.lead.meeting_ready"
	case in.Kind == daoyue.MailRefund && b.RefundOwed == 0:
		leadKey = "mail.lead.refunded"
	}

	// The greeting leads the email with what a stranger typed: only a name
	// that carries no link or address may stand there.
	greeting := t("mail.greeting_plain")
	if !daoyue.LooksLikeLink(b.Client.Name) {
		greeting = t("mail.greeting", "name", b.Client.Name)
	}
	d := doc{Lang: lang, Greeting: greeting, Footer: Footer(lang, ws, in.BaseURL)}
	d.Lead = []string{t(leadKey, "deadline", deadline, "when", formatWhen(lang, b.Start.In(loc)))}
	if msg := strings.TrimSpace(in.StudioMessage); msg != "" {
		d.Lead = append(d.Lead, t("mail.label.studio_message")+": "+msg)
	}

	// The booking itself.
	d.Rows = append(d.Rows, row{t("mail.label.service"), svc.Name})
	if in.Practitioner != nil {
		d.Rows = append(d.Rows, row{t("mail.label.practitioner"), in.Practitioner.Name})
	}
	d.Rows = append(d.Rows, row{t("mail.label.when"), formatSpan(lang, b.Start, b.End, loc)})
	if in.Kind == daoyue.MailRescheduled && in.Previous != nil && !in.Previous.Equal(b.Start) {
		prevEnd := in.Previous.Add(b.End.Sub(b.Start))
		d.Rows = append(d.Rows, row{t("mail.label.previous_time"), formatSpan(lang, *in.Previous, prevEnd, loc)})
	}
	switch {
	case b.Online:
		d.Rows = append(d.Rows, row{t("mail.label.where"), t("mail.label.online")})
	case svc.Location != "":
		d.Rows = append(d.Rows, row{t("mail.label.where"), svc.Location})
	}
	payment := in.Kind == daoyue.MailPaymentRequired || in.Kind == daoyue.MailPaymentDetails ||
		(in.Kind == daoyue.MailReceived && b.Status == daoyue.StatusAwaitingPayment)
	if payment {
		d.Rows = append(d.Rows, row{t("mail.label.amount"), formatMoney(b.Price)})
		if deadline != "" {
			d.Rows = append(d.Rows, row{t("mail.label.deadline"), deadline})
		}
	}
	// What is owed back and what was given back, in every message that
	// ends a paid booking or is about a refund.
	if in.Kind == daoyue.MailRefund || in.Kind == daoyue.MailCancelled {
		if b.RefundOwed > 0 {
			d.Rows = append(d.Rows, row{t("mail.label.refund_owed"), formatMoney(daoyue.Money{Amount: b.RefundOwed, Currency: b.Price.Currency})})
		}
		if b.Refunded > 0 {
			d.Rows = append(d.Rows, row{t("mail.label.refunded"), formatMoney(daoyue.Money{Amount: b.Refunded, Currency: b.Price.Currency})})
		}
	}
	ended := in.Kind == daoyue.MailCancelled || in.Kind == daoyue.MailDeclined || in.Kind == daoyue.MailExpired || in.Kind == daoyue.MailRefund
	if (in.Kind == daoyue.MailCancelled || in.Kind == daoyue.MailDeclined) && b.CancelReason != "" {
		d.Rows = append(d.Rows, row{t("mail.label.reason"), b.CancelReason})
	}

	// The online session: the join details only under the privacy rule.
	if b.Online && !ended {
		if join {
			m := b.Meeting
			s := section{Heading: t("mail.online.join_heading"), Link: &link{t("mail.online.join_url"), m.JoinURL},
				Rows: []row{{t("mail.online.meeting_id"), strconv.FormatInt(m.ZoomID, 10)}}}
			if m.Passcode != "" {
				s.Rows = append(s.Rows, row{t("mail.online.passcode"), m.Passcode})
			}
			s.Lines = []string{t("mail.online.keep_private")}
			d.Sections = append(d.Sections, s)
		}
		s := section{Heading: t("mail.online.heading")}
		if instr := strings.TrimSpace(daoyue.InLanguage(svc.OnlineInstructions, lang)); instr != "" {
			s.Lines = append(s.Lines, instr)
		}
		switch {
		case join:
		case carriesJoin(in.Kind, b):
			s.Lines = append(s.Lines, t("mail.online.studio_will_send"))
		default:
			s.Lines = append(s.Lines, t("mail.online.after_confirmation"))
		}
		if len(s.Lines) > 0 {
			d.Sections = append(d.Sections, s)
		}
	}
	if p := in.Payment; in.Kind == daoyue.MailPaymentDetails && p != nil {
		s := section{Heading: t("mail.payment_details.heading")}
		if p.Account != "" {
			s.Rows = append(s.Rows, row{t("mail.payment_details.bank_code"), p.BankCode}, row{t("mail.payment_details.account"), p.Account})
		}
		if p.PayCode != "" {
			s.Rows = append(s.Rows, row{t("mail.payment_details.pay_code"), p.PayCode})
		}
		if p.ExpiresAt != nil {
			s.Rows = append(s.Rows, row{t("mail.payment_details.expires"), formatAt(lang, *p.ExpiresAt, loc)})
		}
		s.Lines = []string{t("mail.payment_details.after")}
		d.Sections = append(d.Sections, s)
	}
	if in.Kind == daoyue.MailPaymentRequired {
		s := section{Heading: t("mail.payment.heading")}
		switch instr := strings.TrimSpace(ws.PaymentInstructions); {
		case in.PaymentURL != "":
			s.Link = &link{t("mail.payment.link"), in.PaymentURL}
		case instr != "":
			s.Lines = []string{instr, t("mail.payment.after")}
		default:
			s.Lines = []string{t("mail.payment.how")}
		}
		d.Sections = append(d.Sections, s)
	}

	// Links: the manage page, or the booking page when this one is over.
	base := strings.TrimRight(in.BaseURL, "/")
	if base != "" {
		switch {
		case in.Kind == daoyue.MailDeclined || in.Kind == daoyue.MailExpired:
			d.Links = append(d.Links, link{t("mail.link.book"), base + "/w/" + ws.Slug})
		case in.ManageLink:
			d.Links = append(d.Links, link{t("mail.link.manage"), base + "/b/" + daoyue.ManageTokenPlaceholder})
		}
		// Every client email leads to all of the client's bookings there.
		d.Links = append(d.Links, link{t("mail.link.my"), base + "/w/" + ws.Slug + "/my"})
	}

	msg := &Message{Language: lang}
	switch {
	case (in.Kind == daoyue.MailConfirmed || in.Kind == daoyue.MailRescheduled) && b.Status == daoyue.StatusConfirmed:
		msg.ICSMethod = "REQUEST"
		d.Notes = append(d.Notes, t("mail.ics.request"))
	case in.Kind == daoyue.MailCancelled && b.CalendarSeq > 0:
		// Only a booking whose event the client has can be cancelled in
		// the client's calendar.
		msg.ICSMethod = "CANCEL"
		d.Notes = append(d.Notes, t("mail.ics.cancel"))
	}
	if msg.ICSMethod != "" {
		msg.ICS = calendar(in, lang, join, msg.ICSMethod)
	}
	msg.Subject = t(subjectKey, "service", svc.Name, "when", formatWhen(lang, b.Start.In(loc)), "deadline", deadline)
	return &d, msg, nil
}

// Footer is the last line of a client email: with a contact, that a reply
// reaches the studio (and its phone); without one, where the studio's
// booking page is, which shows how to reach it.
func Footer(lang string, ws *daoyue.Workspace, baseURL string) string {
	args := map[string]any{"studio": ws.Name, "email": ws.ContactEmail, "phone": ws.ContactPhone,
		"url": strings.TrimRight(baseURL, "/") + "/w/" + ws.Slug}
	switch {
	case ws.ContactEmail != "" && ws.ContactPhone != "":
		return i18n.T(lang, "mail.footer.reply_phone", args)
	case ws.ContactEmail != "":
		return i18n.T(lang, "mail.footer.reply", args)
	case ws.ContactPhone != "":
		return i18n.T(lang, "mail.footer.phone", args)
	case baseURL != "":
		return i18n.T(lang, "mail.footer.page", args)
	}
	return i18n.T(lang, "mail.footer.plain", args)
}

// calendar writes the .ics of the booking (see ics.go).
func calendar(in Input, lang string, join bool, method string) string {
	b, ws, svc := in.Booking, in.Workspace, in.Service
	e := event{Method: method, UID: b.ID + "@daoyue", Sequence: b.CalendarSeq, Stamp: in.Now,
		Start: b.Start, End: b.End, Cancelled: method == "CANCEL",
		Summary:        i18n.T(lang, "mail.calendar.topic", map[string]any{"service": svc.Name, "studio": ws.Name}),
		OrganizerName:  ws.Name,
		OrganizerEmail: in.Organizer,
		AttendeeName:   b.Client.Name,
		AttendeeEmail:  b.Client.Email,
	}
	var desc []string
	switch {
	case b.Online && join:
		e.Location, e.URL = b.Meeting.JoinURL, b.Meeting.JoinURL
		details := i18n.T(lang, "mail.online.join_url", nil) + ": " + b.Meeting.JoinURL + "\n" +
			i18n.T(lang, "mail.online.meeting_id", nil) + ": " + strconv.FormatInt(b.Meeting.ZoomID, 10)
		if b.Meeting.Passcode != "" {
			details += "\n" + i18n.T(lang, "mail.online.passcode", nil) + ": " + b.Meeting.Passcode
		}
		desc = append(desc, details)
	case b.Online:
		e.Location = i18n.T(lang, "mail.label.online", nil)
	default:
		e.Location = svc.Location
	}
	if instr := strings.TrimSpace(daoyue.InLanguage(svc.OnlineInstructions, lang)); b.Online && instr != "" {
		desc = append(desc, instr)
	}
	e.Description = strings.Join(desc, "\n\n")
	return e.String()
}

// text writes the plain-text body.
func (d *doc) text() string {
	var w strings.Builder
	w.WriteString(d.Greeting + "\n\n")
	for _, p := range d.Lead {
		w.WriteString(p + "\n\n")
	}
	writeRows := func(rows []row) {
		for _, r := range rows {
			w.WriteString(r.Label + ": " + r.Value + "\n")
		}
	}
	writeRows(d.Rows)
	for _, s := range d.Sections {
		w.WriteString("\n" + s.Heading + "\n")
		if s.Link != nil {
			w.WriteString(s.Link.Label + ": " + s.Link.URL + "\n")
		}
		writeRows(s.Rows)
		for _, l := range s.Lines {
			w.WriteString(l + "\n")
		}
	}
	if len(d.Links) > 0 {
		w.WriteString("\n")
		for _, l := range d.Links {
			w.WriteString(l.Label + ": " + l.URL + "\n")
		}
	}
	for _, n := range d.Notes {
		w.WriteString("\n" + n + "\n")
	}
	w.WriteString("\n-- \n" + d.Footer + "\n")
	return w.String()
}

// html writes the HTML body: a simple, inline-styled layout that mail
// clients render alike. It is written by hand rather than by html/template
// (a third of a booking's composing, which runs inside its transaction)
// and escapes as html/template would: every value with escapeHTML, every
// link through safeURL (TestHTMLAsTheTemplateWrites holds the two equal).
func (d *doc) html() string {
	var w strings.Builder
	w.Grow(3072)
	w.WriteString("<!doctype html>\n<html lang=\"")
	escapeHTML(&w, d.Lang)
	w.WriteString(`"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="margin:0;padding:0;background:#f5f6f8;">
<div style="max-width:560px;margin:0 auto;padding:24px 16px;font-family:'PingFang TC','Noto Sans TC','Microsoft JhengHei',system-ui,sans-serif;font-size:16px;line-height:1.6;color:#1f2933;">
<p style="margin:0 0 16px;">`)
	escapeHTML(&w, d.Greeting)
	w.WriteString("</p>\n")
	for _, p := range d.Lead {
		element(&w, `<p style="margin:0 0 16px;">`, p, "</p>\n")
	}
	table(&w, `<table role="presentation" style="width:100%;border-collapse:collapse;background:#ffffff;border:1px solid #d9dee5;border-radius:8px;margin:0 0 16px;">`,
		`<tr><th scope="row" style="text-align:left;vertical-align:top;padding:8px 12px;color:#52606d;font-weight:normal;white-space:nowrap;">`,
		`<td style="padding:8px 12px;">`, d.Rows)
	for _, s := range d.Sections {
		element(&w, `<h2 style="font-size:17px;margin:24px 0 8px;">`, s.Heading, "</h2>\n")
		if l := s.Link; l != nil {
			element(&w, `<p style="margin:0 0 8px;">`, l.Label, ": ")
			element(&w, `<a href="`, safeURL(l.URL), `" style="color:#1d4e89;word-break:break-all;">`)
			escapeHTML(&w, l.URL)
			w.WriteString("</a></p>\n")
		}
		if len(s.Rows) > 0 {
			table(&w, `<table role="presentation" style="border-collapse:collapse;margin:0 0 8px;">`,
				`<tr><th scope="row" style="text-align:left;vertical-align:top;padding:4px 12px 4px 0;color:#52606d;font-weight:normal;white-space:nowrap;">`,
				`<td style="padding:4px 0;word-break:break-all;">`, s.Rows)
		}
		for _, l := range s.Lines {
			element(&w, `<p style="margin:0 0 8px;white-space:pre-line;">`, l, "</p>\n")
		}
	}
	for _, l := range d.Links {
		element(&w, `<p style="margin:24px 0 0;"><a href="`, safeURL(l.URL), `" style="display:inline-block;padding:10px 18px;background:#1d4e89;color:#ffffff;text-decoration:none;border-radius:6px;">`)
		escapeHTML(&w, l.Label)
		w.WriteString("</a></p>\n")
	}
	for _, n := range d.Notes {
		element(&w, `<p style="margin:24px 0 0;color:#52606d;font-size:14px;">`, n, "</p>\n")
	}
	element(&w, `<p style="margin:32px 0 0;color:#7b8794;font-size:13px;">`, d.Footer, "</p>\n</div>\n</body></html>\n")
	return w.String()
}

// table writes rows as a table of label and value cells, each opened
// with the given tags.
func table(w *strings.Builder, open, th, td string, rows []row) {
	w.WriteString(open + "\n")
	for _, r := range rows {
		element(w, th, r.Label, "</th>")
		element(w, td, r.Value, "</td></tr>\n")
	}
	w.WriteString("</table>\n")
}

// element writes open, value escaped, then closing.
func element(w *strings.Builder, open, value, closing string) {
	w.WriteString(open)
	escapeHTML(w, value)
	w.WriteString(closing)
}

// escapeHTML writes s escaped for HTML text and quoted attribute values,
// with html/template's table: the five markup characters, '+' (as
// html/template does, against UTF-7 sniffing) and NUL.
func escapeHTML(w *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case 0:
			rep = "\uFFFD"
		case '"':
			rep = "&#34;"
		case '&':
			rep = "&amp;"
		case '\'':
			rep = "&#39;"
		case '+':
			rep = "&#43;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		default:
			continue
		}
		w.WriteString(s[last:i])
		w.WriteString(rep)
		last = i + 1
	}
	w.WriteString(s[last:])
}

// safeURL is a link as html/template writes it into href: a scheme other
// than http, https or mailto becomes "#ZgotmplZ" (a javascript: link
// never reaches a client), and every byte a URL may not hold as it is is
// percent-encoded (valid escapes are kept). The result still needs
// escapeHTML for the attribute.
func safeURL(u string) string {
	if scheme, _, ok := strings.Cut(u, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		return "#ZgotmplZ"
	}
	const hex = "0123456789abcdef"
	var b []byte
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-._~!#$&*+,/:;=?@[]", c) >= 0:
			if b != nil {
				b = append(b, c)
			}
			continue
		case c == '%' && i+2 < len(u) && isHex(u[i+1]) && isHex(u[i+2]):
			if b != nil {
				b = append(b, c)
			}
			continue
		}
		if b == nil {
			b = append(make([]byte, 0, len(u)+16), u[:i]...)
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	if b == nil {
		return u
	}
	return string(b)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// FillManageToken puts the client's manage-link secret where a stored
// message holds daoyue.ManageTokenPlaceholder. Without a token (the
// booking is gone, or its sealed token no longer opens) the lines holding
// the placeholder are left out.
func FillManageToken(body, token string) string {
	if !strings.Contains(body, daoyue.ManageTokenPlaceholder) {
		return body
	}
	if token != "" {
		return strings.ReplaceAll(body, daoyue.ManageTokenPlaceholder, token)
	}
	lines := strings.SplitAfter(body, "\n")
	out := lines[:0]
	for _, l := range lines {
		if !strings.Contains(l, daoyue.ManageTokenPlaceholder) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "")
}

// MaskedToken is what the outbox shows in place of a manage-link secret.
const MaskedToken = "••••••"

// MaskManageToken shows a stored message as members see it in the outbox:
// the manage link with its secret masked.
func MaskManageToken(body string) string {
	return strings.ReplaceAll(body, daoyue.ManageTokenPlaceholder, MaskedToken)
}

// ClientCalendar is the .ics file of a confirmed booking that its client
// downloads from the manage page: the same event as the emails' (same UID),
// with the public online instructions and never the join details.
func ClientCalendar(ws *daoyue.Workspace, svc *daoyue.Service, cb daoyue.ClientBooking, now time.Time) string {
	b := &daoyue.Booking{ID: cb.ID, Start: cb.Start, End: cb.End, Online: cb.Online, Client: cb.Client, Status: cb.Status}
	return calendar(Input{Workspace: ws, Service: svc, Booking: b, Now: now}, daoyue.NormalizeLanguage(""), false, "PUBLISH")
}
