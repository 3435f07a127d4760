package daoyue

import (
	"testing"
	"time"
)

func TestPlanMeeting(t *testing.T) {
	now := time.Date(2030, 1, 7, 0, 0, 0, 0, time.UTC)
	start := now.Add(48 * time.Hour)
	end := start.Add(time.Hour)
	created := func() Meeting {
		s := start
		return Meeting{Status: MeetingCreated, Reason: ReasonCreated, ZoomID: 1, Start: &s, DurationMin: 60, Version: 3, SyncedVersion: 3}
	}
	for _, c := range []struct {
		name       string
		b          Booking
		host       HostReadiness
		sync       bool
		status     MeetingStatus
		reason     MeetingReason
		newVersion int64
	}{
		{"in person", Booking{Online: false, Status: StatusConfirmed, Start: start, End: end}, HostReady, false, MeetingNone, ReasonInPerson, 0},
		{"not confirmed yet", Booking{Online: true, Status: StatusPending, Start: start, End: end}, HostReady, false, MeetingNone, ReasonNotConfirmed, 0},
		{"confirmed, host ready", Booking{Online: true, Status: StatusConfirmed, Start: start, End: end}, HostReady, true, MeetingPending, ReasonSyncing, 1},
		{"confirmed, no Zoom", Booking{Online: true, Status: StatusConfirmed, Start: start, End: end}, HostNoZoom, false, MeetingNone, ReasonHostNoZoom, 0},
		{"confirmed, not default", Booking{Online: true, Status: StatusConfirmed, Start: start, End: end}, HostNotDefault, false, MeetingNone, ReasonHostNotDefault, 0},
		{"confirmed, needs reauth", Booking{Online: true, Status: StatusConfirmed, Start: start, End: end}, HostNeedsReauth, false, MeetingFailed, ReasonNeedsReauth, 0},
		{"in sync", Booking{Online: true, Status: StatusConfirmed, Start: start, End: end, Meeting: created()}, HostNoZoom, false, MeetingCreated, ReasonCreated, 3},
		{"moved", Booking{Online: true, Status: StatusConfirmed, Start: start.Add(time.Hour), End: end.Add(time.Hour), Meeting: created()}, HostNoZoom, true, MeetingPending, ReasonSyncing, 4},
		{"cancelled with a meeting", Booking{Online: true, Status: StatusCancelled, Start: start, End: end, Meeting: created()}, HostReady, true, MeetingPending, ReasonSyncing, 4},
		{"ended", Booking{Online: true, Status: StatusConfirmed, Start: now.Add(-2 * time.Hour), End: now.Add(-time.Hour)}, HostReady, false, "", "", 0},
		{"purged stays purged", Booking{Online: true, Status: StatusCancelled, Start: start, End: end, Meeting: Meeting{Status: MeetingPurged, Reason: ReasonZoomRemoved}}, HostReady, false, MeetingPurged, ReasonZoomRemoved, 0},
	} {
		b := c.b
		if sync := b.PlanMeeting(now, c.host); sync != c.sync || b.Meeting.Status != c.status || b.Meeting.Reason != c.reason || b.Meeting.Version != c.newVersion {
			t.Errorf("%s: sync %v, meeting %s/%s v%d; want %v, %s/%s v%d", c.name, sync, b.Meeting.Status, b.Meeting.Reason, b.Meeting.Version,
				c.sync, c.status, c.reason, c.newVersion)
		}
	}
}

func TestRecordSync(t *testing.T) {
	for _, c := range []struct {
		o      SyncOutcome
		final  bool
		status MeetingStatus
		reason MeetingReason
	}{
		{SyncRateLimited, false, MeetingPending, ReasonRateLimited},
		{SyncNeedsReauth, false, MeetingFailed, ReasonNeedsReauth},
		{SyncTemporary, false, MeetingPending, ReasonRetrying},
		{SyncTemporary, true, MeetingFailed, ReasonRetriesExhausted},
		{SyncRejected, false, MeetingFailed, ReasonZoomRejected},
	} {
		m := Meeting{Status: MeetingPending, Reason: ReasonSyncing}
		m.RecordSync(c.o, c.final, "cause")
		if m.Status != c.status || m.Reason != c.reason || m.LastError != "cause" {
			t.Errorf("%d final %v: %s/%s %q", c.o, c.final, m.Status, m.Reason, m.LastError)
		}
	}
}

func TestHoldsMail(t *testing.T) {
	b := &Booking{Online: true, Status: StatusConfirmed, Meeting: Meeting{Status: MeetingPending}}
	if !b.HoldsMail(MailConfirmed) || !b.HoldsMail(MailRescheduled) || b.HoldsMail(MailCancelled) {
		t.Error("a confirmation waits for a syncing meeting; a cancellation does not")
	}
	b.Meeting.Status = MeetingCreated
	if b.HoldsMail(MailConfirmed) {
		t.Error("nothing waits once the meeting exists")
	}
	b.Online = false
	b.Meeting.Status = MeetingPending
	if b.HoldsMail(MailConfirmed) {
		t.Error("an in-person booking's confirmation waits for nothing")
	}
}
