package jobs_test

import (
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/notify/smtptest"
	"github.com/daoyue/daoyue/store/storetest"
)

// Reminders through the running sweep over real SMTP: a confirmed online
// booking's reminder carries the join link of its meeting as moved by a
// reschedule; another online booking whose host has no Zoom gets one
// without any link (the studio sends it); each goes once.
func TestReminderCarriesMovedMeetingLink(t *testing.T) {
	t.Parallel()
	f, srv := mailSetup(t, storetest.NewSQLite(t), smtptest.Options{})
	f.connect(f.st.Lin, f.zlin)
	a := f.book(f.st.Online, f.st.Lin, taipeiOn(3, 10, 0))
	f.wait(a.Booking.ID, "a meeting", created)
	b := f.book(f.st.Online, f.st.Chen, taipeiOn(3, 14, 0)) // Chen has no Zoom
	f.mails(srv, 2)

	if _, err := f.a.Reschedule(f.owner, "studio", a.Booking.ID, taipeiOn(3, 15, 0)); err != nil {
		t.Fatal(err)
	}
	moved := f.wait(a.Booking.ID, "the meeting moved", func(b *daoyue.Booking) bool {
		return created(b) && b.Meeting.Start != nil && b.Meeting.Start.Equal(taipeiOn(3, 15, 0)) && b.Meeting.SyncedVersion == b.Meeting.Version
	})
	f.mails(srv, 3)

	// Thursday's 24-hour reminders are due on Wednesday at 14:00 (Chen's)
	// and 15:00 (Lin's, moved from 10:00).
	f.clock.Set(taipeiOn(2, 16, 0))
	got := f.mails(srv, 5)[3:]
	byBooking := map[string]email{}
	for _, m := range got {
		if m.kind != daoyue.MailReminder {
			t.Fatalf("kind %s: %s", m.kind, m.Subject)
		}
		if strings.Contains(m.Text, "15:00–16:00") {
			byBooking[a.Booking.ID] = m
		} else {
			byBooking[b.Booking.ID] = m
		}
	}
	ra, rb := byBooking[a.Booking.ID], byBooking[b.Booking.ID]
	if ra.Parsed == nil || rb.Parsed == nil {
		t.Fatalf("reminders: %d, not one of each booking", len(got))
	}
	for _, secret := range private(moved) {
		if !strings.Contains(ra.Text, secret) {
			t.Errorf("the reminder lacks %q:\n%s", secret, ra.Text)
		}
	}
	if strings.Contains(rb.all(), "zoom.us/j") || !strings.Contains(rb.Text, "線上會議連結將由工作室另外寄給您") {
		t.Errorf("the reminder of a booking without a meeting:\n%s", rb.all())
	}
	// Once: the sweep keeps running.
	time.Sleep(time.Second)
	noMore(t, srv, 5)
}
