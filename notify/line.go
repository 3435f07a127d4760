package notify

import (
	"strings"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
)

// LineMessage is the LINE version of a client message (issue 12): a short
// text in the client's language and a card whose button opens the booking.
// The same privacy rule as the email's: only a message for which
// ShowsMeetingDetails holds (the confirmation, a new time or the reminder
// of a confirmed online booking whose meeting exists) carries the join
// link. ButtonURI holds daoyue.ManageTokenPlaceholder where the manage
// link's secret goes; the sender fills it in.
type LineMessage struct {
	Text        string   `json:"text"`
	Title       string   `json:"title,omitempty"`
	Lines       []string `json:"lines,omitempty"`
	ButtonLabel string   `json:"button_label,omitempty"`
	ButtonURI   string   `json:"button_uri,omitempty"`
}

// ComposeLine writes in's message for LINE, from the same input as Compose
// (and so from the booking as it is when the email is composed).
func ComposeLine(in Input) (*LineMessage, error) {
	msg, err := Compose(in) // validates in; its subject is the LINE text's first line
	if err != nil {
		return nil, err
	}
	b, ws, svc := in.Booking, in.Workspace, in.Service
	lang := msg.Language
	t := func(key string, args map[string]any) string { return i18n.T(lang, key, args) }
	loc := ws.Location()
	deadline := ""
	if b.PaymentDueAt != nil {
		deadline = formatAt(lang, *b.PaymentDueAt, loc)
	}
	leadKey := leadKeys[in.Kind]
	if in.Kind == daoyue.MailReceived && b.Status == daoyue.StatusAwaitingPayment {
		leadKey = "mail.lead.received_pay_first"
	}
	lines := []string{ws.Name + ":" + msg.Subject, t(leadKey, map[string]any{"deadline": deadline, "when": formatWhen(lang, b.Start.In(loc))})}
	if s := strings.TrimSpace(in.StudioMessage); s != "" {
		lines = append(lines, t("mail.label.studio_message", nil)+": "+s)
	}
	if ShowsMeetingDetails(in.Kind, b) {
		m := b.Meeting
		lines = append(lines, t("mail.online.join_url", nil)+": "+m.JoinURL)
		if m.Passcode != "" {
			lines = append(lines, t("mail.online.passcode", nil)+": "+m.Passcode)
		}
		lines = append(lines, t("mail.online.keep_private", nil))
	}
	out := &LineMessage{Text: strings.Join(lines, "\n")}
	base := strings.TrimRight(in.BaseURL, "/")
	switch {
	case base == "":
	case in.Kind == daoyue.MailDeclined || in.Kind == daoyue.MailExpired:
		out.ButtonURI, out.ButtonLabel = base+"/w/"+ws.Slug, t("line.button.book", nil)
	case in.ManageLink:
		out.ButtonURI, out.ButtonLabel = base+"/b/"+daoyue.ManageTokenPlaceholder, t("line.button.manage", nil)
	}
	if out.ButtonURI != "" {
		out.Title = svc.Name
		out.Lines = []string{formatSpan(lang, b.Start, b.End, loc)}
	}
	return out, nil
}
