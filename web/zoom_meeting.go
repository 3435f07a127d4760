package web

import (
	"net/url"
	"strconv"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/i18n"
)

// A booking's Zoom meeting as members see it: its status in words, the
// app's plain-words note (what happened and, where a person must act, what
// to do), and the private meeting details while the meeting exists. Only
// the admin API and the admin pages use these; the public API, the public
// pages and the client's manage page never do.

// meetingStatus is the meeting's sync status; an empty one is "none".
func meetingStatus(b *daoyue.Booking) daoyue.MeetingStatus {
	if b.Meeting.Status == "" {
		return daoyue.MeetingNone
	}
	return b.Meeting.Status
}

// meetingStatusKeys name the statuses in a word.
var meetingStatusKeys = map[daoyue.MeetingStatus]string{
	daoyue.MeetingNone:    "status.meeting.none",
	daoyue.MeetingPending: "status.meeting.pending",
	daoyue.MeetingCreated: "status.meeting.created",
	daoyue.MeetingFailed:  "status.meeting.failed",
	daoyue.MeetingDeleted: "status.meeting.deleted",
	daoyue.MeetingPurged:  "status.meeting.purged",
}

// Notes whose fix is on the host's online meeting tools card.
var (
	// setupNotes: no meeting was made because the host's Zoom is not
	// ready; once it is, Retry makes it.
	setupNotes = map[daoyue.MeetingReason]bool{
		daoyue.ReasonHostNoZoom:     true,
		daoyue.ReasonHostNotDefault: true,
	}
	fixOnCardNotes = map[daoyue.MeetingReason]bool{
		daoyue.ReasonHostNoZoom:         true,
		daoyue.ReasonHostNotDefault:     true,
		daoyue.ReasonNeedsReauth:        true,
		daoyue.ReasonDisconnected:       true,
		daoyue.ReasonDisconnectedDelete: true,
	}
)

// meetingMessage says in plain words where the meeting stands, in lang:
// the words of its reason. Bookings made before meeting sync have no
// reason: their status none gets one from the booking itself.
func meetingMessage(lang string, b *daoyue.Booking, host *daoyue.Practitioner) string {
	if r := b.Meeting.Reason; r != "" && i18n.Has(lang, i18n.MeetingReasonKey(r)) {
		return i18n.T(lang, i18n.MeetingReasonKey(r), nil)
	}
	st := meetingStatus(b)
	if st != daoyue.MeetingNone {
		if key, ok := meetingStatusKeys[st]; ok {
			return i18n.T(lang, key, nil)
		}
	}
	switch {
	case !b.Online:
		return i18n.T(lang, "msg.api_meeting_in_person", nil)
	case b.Status.Final():
		return i18n.T(lang, "msg.api_meeting_ended", nil)
	case b.Status != daoyue.StatusConfirmed:
		return i18n.T(lang, "msg.api_meeting_not_confirmed", nil)
	}
	name := ""
	if host != nil {
		name = host.Name
	}
	return i18n.T(lang, "msg.api_meeting_no_tool", map[string]any{"host": name})
}

// meetingCell is the meeting column of the bookings list: a word, and the
// badge class when the status is worth a badge.
func meetingCell(v *view, b *daoyue.Booking) (text, class, title string) {
	if !b.Online {
		return v.T("label.meeting.not_needed"), "", ""
	}
	st := meetingStatus(b)
	title = meetingMessage(v.Lang, b, nil)
	if st == daoyue.MeetingNone {
		if setupNotes[b.Meeting.Reason] {
			return v.T("status.meeting.needs_setup"), "needs_setup", title
		}
		return v.T("label.meeting.none"), "", title
	}
	return word(v, meetingStatusKeys, st, "status.meeting.none"), string(st), title
}

// meetingView is the meeting section of the booking detail page.
type meetingView struct {
	Online    bool
	Status    string
	Word      string
	Message   string
	Show      bool // the private details below exist and may be shown
	JoinURL   string
	ID        string
	Passcode  string
	Recreated bool
	CanRetry  bool
	Retry     string // the retry form's action
	FixURL    string // the host's online meeting tools
	FixLabel  string
	// MaybeExtra says, for each create whose answer never came, which
	// meeting Zoom may hold besides this one.
	MaybeExtra []string
	// DeleteInZoom names the meeting a member must delete in Zoom by hand
	// (its account was disconnected before the booking was cancelled).
	DeleteInZoom string
	// Poll is the status URL the page polls while the meeting is syncing.
	Poll string
}

func meetingViewOf(v *view, d *app.BookingDetail, base string) *meetingView {
	b := d.Booking
	m := &b.Meeting
	st := meetingStatus(b)
	mv := &meetingView{Online: b.Online, Status: string(st), Word: word(v, meetingStatusKeys, st, "status.meeting.none"),
		Message: meetingMessage(v.Lang, b, d.Host), Recreated: m.Recreated, Retry: base + "/meeting/retry"}
	if m.Recreated && m.Reason == daoyue.ReasonRecreated {
		// The alert below says it; the status line says where it stands.
		mv.Message = v.T(i18n.MeetingReasonKey(daoyue.ReasonCreated))
	}
	if st == daoyue.MeetingNone && setupNotes[m.Reason] {
		mv.Word = v.T("status.meeting.needs_setup")
		mv.Status = "needs_setup"
	}
	if m.ShowDetails() {
		mv.Show, mv.JoinURL, mv.Passcode = true, m.JoinURL, m.Passcode
		mv.ID = strconv.FormatInt(m.ZoomID, 10)
	}
	for _, at := range d.MaybeExtra {
		host := v.T("label.host_fallback")
		if d.Host != nil && d.Host.ID == at.HostID {
			host = d.Host.Name
		}
		mv.MaybeExtra = append(mv.MaybeExtra, v.Tf("msg.meeting.maybe_extra", "sent", v.When(at.At), "host", host,
			"topic", at.Topic, "start", v.When(at.Start), "minutes", at.DurationMin))
	}
	if m.Reason == daoyue.ReasonDisconnectedDelete && m.ZoomID != 0 {
		topic := ""
		if d.Service != nil {
			topic = d.Service.Name + " · " + b.Client.Name
		}
		start := b.Start
		if m.Start != nil {
			start = *m.Start
		}
		mv.DeleteInZoom = v.Tf("msg.meeting.delete_this", "id", strconv.FormatInt(m.ZoomID, 10), "topic", topic, "start", v.When(start))
	}
	if b.Online && (st == daoyue.MeetingPending || m.Version != m.SyncedVersion) {
		mv.Poll = base + "/meeting-status"
	}
	mv.CanRetry = st == daoyue.MeetingFailed || (st == daoyue.MeetingNone && setupNotes[m.Reason])
	if fixOnCardNotes[m.Reason] && d.Host != nil {
		mv.FixURL = "/admin/" + d.Workspace.Slug + "/availability?practitioner=" + url.QueryEscape(d.Host.ID)
		mv.FixLabel = v.Tf("action.meeting_fix", "name", d.Host.Name)
	}
	return mv
}
