package notify

import (
	"strings"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
)

// NoticeInput is what a notice to a studio's member is composed from.
type NoticeInput struct {
	Kind      daoyue.NoticeKind
	Workspace *daoyue.Workspace
	// Language is the studio's: zh-TW unless the member reads English.
	Language string
	BaseURL  string
	// The booking the notice is about (nil for a Zoom connection or an
	// agenda), with its service and practitioner.
	Booking      *daoyue.Booking
	Service      *daoyue.Service
	Practitioner *daoyue.Practitioner
	// Action is the audit action of the change ("booking.paid", …).
	Action string
	// Reason is a meeting failure's reason (NoticeMeetingFailed).
	Reason daoyue.MeetingReason
	// Request is the client's open request (NoticeRequest).
	Request *daoyue.Request
	// Agenda is a practitioner's bookings of the day (NoticeAgenda), with
	// Services by id; Day is the date as shown.
	Agenda   []*daoyue.Booking
	Services map[string]*daoyue.Service
	Day      string
}

// ComposeNotice writes a notice to a studio's member. A notice names the
// client and the time and links to the booking's page in the backend; it
// never carries the client's manage link, and never the meeting's join
// details (the backend shows them to those who may see them).
func ComposeNotice(in NoticeInput) *Message {
	lang := daoyue.NormalizeLanguage(in.Language)
	ws := in.Workspace
	loc := ws.Location()
	args := map[string]any{"studio": ws.Name}
	if p := in.Practitioner; p != nil {
		args["practitioner"] = p.Name
	}
	if b := in.Booking; b != nil {
		args["client"] = b.Client.Name
		args["when"] = formatWhen(lang, b.Start.In(loc))
		if in.Service != nil {
			args["service"] = in.Service.Name
		}
	}
	args["day"], args["count"] = in.Day, len(in.Agenda)
	t := func(key string) string { return i18n.T(lang, key, args) }
	kind := string(in.Kind)
	subjectKey, leadKey := "notice.subject."+kind, "notice.lead."+kind
	if in.Kind == daoyue.NoticePayment && in.Action == "booking.transfer_reported" {
		subjectKey, leadKey = "notice.subject.transfer_reported", "notice.lead.transfer_reported"
	}
	d := doc{Lang: lang, Greeting: t("notice.greeting"), Footer: t("notice.footer")}
	d.Lead = []string{t(leadKey)}
	base := strings.TrimRight(in.BaseURL, "/")
	if b := in.Booking; b != nil {
		if in.Service != nil {
			d.Rows = append(d.Rows, row{t("mail.label.service"), in.Service.Name})
		}
		if in.Practitioner != nil {
			d.Rows = append(d.Rows, row{t("mail.label.practitioner"), in.Practitioner.Name})
		}
		d.Rows = append(d.Rows, row{t("mail.label.when"), formatSpan(lang, b.Start, b.End, loc)},
			row{t("notice.label.client"), b.Client.Name})
		if r := in.Request; r != nil {
			what := t("notice.request.cancel")
			if r.Kind == daoyue.RequestReschedule && r.NewStart != nil {
				what = formatSpan(lang, *r.NewStart, *r.NewEnd, loc)
				d.Rows = append(d.Rows, row{t("notice.label.requested_time"), what})
			} else {
				d.Rows = append(d.Rows, row{t("notice.label.request"), what})
			}
			if r.Reason != "" {
				d.Rows = append(d.Rows, row{t("mail.label.reason"), r.Reason})
			}
		}
		if in.Kind == daoyue.NoticePayment {
			d.Rows = append(d.Rows, row{t("mail.label.amount"), formatMoney(b.Price)})
		}
		if in.Kind == daoyue.NoticeMeetingFailed && in.Reason != "" {
			d.Sections = append(d.Sections, section{Heading: t("notice.fix_heading"),
				Lines: []string{i18n.T(lang, i18n.MeetingReasonKey(in.Reason), nil)}})
		}
		if base != "" {
			d.Links = append(d.Links, link{t("notice.link.booking"), base + "/admin/" + ws.Slug + "/bookings/" + b.ID})
		}
	}
	switch in.Kind {
	case daoyue.NoticeZoomReauth:
		d.Sections = append(d.Sections, section{Heading: t("notice.fix_heading"),
			Lines: []string{i18n.T(lang, i18n.MeetingReasonKey(daoyue.ReasonNeedsReauth), nil)}})
		if base != "" {
			d.Links = append(d.Links, link{t("notice.link.availability"), base + "/admin/" + ws.Slug + "/availability"})
		}
	case daoyue.NoticeAgenda:
		for _, b := range in.Agenda {
			name := ""
			if s := in.Services[b.ServiceID]; s != nil {
				name = s.Name
			}
			d.Rows = append(d.Rows, row{formatSpan(lang, b.Start, b.End, loc), b.Client.Name + " · " + name})
		}
		if base != "" {
			d.Links = append(d.Links, link{t("notice.link.bookings"), base + "/admin/" + ws.Slug + "/bookings"})
		}
	}
	msg := &Message{Language: lang, Subject: t(subjectKey), Text: d.text()}
	msg.HTML = d.html()
	return msg
}
