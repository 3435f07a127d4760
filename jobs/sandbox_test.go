package jobs_test

import (
	"context"
	"strings"
	"testing"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// The review sandbox: created ready for the reviewer flow, the practitioner
// gets Zoom as default on authorization, a booking at any hour is confirmed
// with its meeting at once; a reset deletes the meetings through the normal
// sync, removes the bookings, and is idempotent.
func TestReviewSandbox(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ctx := context.Background()
		res, err := f.a.ResetReviewSandbox(ctx, "reviewer@zoom-review.test", "")
		if err != nil {
			t.Fatal(err)
		}
		if !res.Created || res.Password == "" {
			t.Fatalf("first reset: %+v", res)
		}
		password := res.Password
		token, _, err := f.a.Login(ctx, "reviewer@zoom-review.test", password, "api", "127.0.0.1")
		if err != nil {
			t.Fatalf("reviewer sign-in: %v", err)
		}
		u, _ := f.a.Authenticate(ctx, token, "api", "")
		rv := daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorMember, UserID: u.ID, Label: u.Email})

		pp, err := f.a.PublicWorkspace(ctx, app.ReviewSlug)
		if err != nil || len(pp.Services) != 1 || pp.Services[0].Name != app.ReviewService {
			t.Fatalf("public sandbox: %+v %v", pp, err)
		}
		svc := pp.Services[0]
		if !svc.Online || svc.Confirmation != daoyue.ConfirmAuto || svc.Payment != daoyue.PaymentNone {
			t.Fatalf("review service: %+v", svc)
		}
		prac := pp.Practitioners[svc.PractitionerIDs[0]]

		// Connect Zoom: no separate default step.
		authURL, err := f.a.ConnectZoom(rv, app.ReviewSlug, prac.ID)
		if err != nil {
			t.Fatal(err)
		}
		back, err := f.sim.Consent(ctx, authURL, f.zlin.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		conn, err := f.a.CompleteZoom(rv, back.Query().Get("state"), back.Query().Get("code"))
		if err != nil || !conn.Status.IsDefault {
			t.Fatalf("connected: %+v %v", conn, err)
		}

		// Any hour: 03:00 at night in Taipei.
		bk, err := f.a.Book(ctx, app.ReviewSlug, app.BookInput{ServiceID: svc.ID, Start: taipei(3, 0),
			Client: daoyue.Client{Name: "Zoom Reviewer", Email: "reviewer@example.com"}})
		if err != nil {
			t.Fatal(err)
		}
		if bk.Booking.Status != daoyue.StatusConfirmed {
			t.Fatalf("review booking is %s", bk.Booking.Status)
		}
		waitReview := func(cond func(*daoyue.Booking) bool) *daoyue.Booking {
			t.Helper()
			for i := 0; i < 1000; i++ {
				d, err := f.a.Booking(rv, app.ReviewSlug, bk.Booking.ID)
				if err != nil {
					t.Fatal(err)
				}
				if cond(d.Booking) {
					return d.Booking
				}
				sleep()
			}
			t.Fatal("meeting never created")
			return nil
		}
		b := waitReview(created)
		list, err := f.a.ListBookings(rv, app.ReviewSlug, daoyue.BookingFilter{Tab: daoyue.TabUpcoming})
		if err != nil || list.Counts[daoyue.TabPending] != 0 || list.Counts[daoyue.TabUpcoming] != 1 {
			t.Fatalf("queues: %+v %v", list.Counts, err)
		}
		if len(f.sim.Meetings(f.zlin.ID)) != 1 {
			t.Fatal("no meeting in Zoom")
		}

		// The client's emails speak to the client, in the booking's
		// language only.
		wsID := res.Workspace.ID
		outbox := func() []*daoyue.OutboxMessage {
			t.Helper()
			var msgs []*daoyue.OutboxMessage
			if err := db.View(ctx, func(tx daoyue.Tx) error {
				var err error
				msgs, _, err = tx.ListOutbox(ctx, wsID, "", 100)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return msgs
		}
		msgs := outbox()
		if len(msgs) == 0 {
			t.Fatal("no email to the review booking's client")
		}
		for _, m := range msgs {
			if strings.Contains(m.Text, daoyue.EnglishMarker) || strings.Contains(m.Text, "This session takes place") || strings.Contains(m.Text, "studio's members") {
				t.Errorf("zh-TW email %q carries other-language or member-facing text:\n%s", m.Subject, m.Text)
			}
		}
		if !strings.Contains(msgs[len(msgs)-1].Text+msgs[0].Text, "這堂課在 Zoom 上進行") {
			t.Errorf("the email lacks the session's instructions:\n%s", msgs[0].Text)
		}

		res, err = f.a.ResetReviewSandbox(ctx, "reviewer@zoom-review.test", "")
		if err != nil {
			t.Fatal(err)
		}
		// Nothing of the removed bookings stays behind: not their emails
		// either (client names, join links of deleted meetings).
		if msgs := outbox(); len(msgs) != 0 {
			t.Errorf("%d outbox messages left after the reset, e.g. %q", len(msgs), msgs[0].Subject)
		}
		if res.Created || res.Password != "" || res.BookingsRemove != 1 || res.MeetingsKept != 0 {
			t.Fatalf("second reset: %+v", res)
		}
		if n := len(f.sim.Meetings(f.zlin.ID)); n != 0 {
			t.Fatalf("%d meetings left in Zoom after reset (meeting %d)", n, b.Meeting.ZoomID)
		}
		list, err = f.a.ListBookings(rv, app.ReviewSlug, daoyue.BookingFilter{Tab: daoyue.TabUpcoming})
		if err != nil {
			t.Fatal(err)
		}
		for tab, n := range list.Counts {
			if n != 0 {
				t.Errorf("%s holds %d bookings after reset", tab, n)
			}
		}
		st, _ := f.a.ZoomConnections(rv, app.ReviewSlug)
		if st[prac.ID].Status != "" && st[prac.ID].Status != "not_connected" {
			t.Fatalf("Zoom still connected after reset: %+v", st[prac.ID])
		}
		if _, _, err := f.a.Login(ctx, "reviewer@zoom-review.test", "wrong-password-x", "api", "127.0.0.1"); err == nil {
			t.Fatal("wrong password accepted")
		}
		if _, err := f.a.ResetReviewSandbox(ctx, "reviewer@zoom-review.test", ""); err != nil {
			t.Fatalf("third reset: %v", err)
		}
		if _, _, err := f.a.Login(ctx, "reviewer@zoom-review.test", password, "api", "127.0.0.1"); err != nil {
			t.Fatalf("resets changed the reviewer's password: %v", err)
		}
	})
}
