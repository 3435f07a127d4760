package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// A booking reuses the service and practitioners it read before only while
// the studio's catalog is unchanged: a change made through another
// instance (a new price, a service or practitioner taken off, a
// practitioner no longer giving the service) holds for the very next
// booking here.
func TestBookingFollowsTheCatalog(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db, false)
		other := app.New(db, nil) // another instance
		other.Now = f.a.Now
		svc, lin, chen := f.st.Online, f.st.Lin, f.st.Chen
		n := 0
		book := func(p *daoyue.Practitioner) (*app.Booked, error) {
			start := at(2+n/4, 10+2*(n%4)) // Wednesday to Friday, two hours apart
			n++
			in := app.BookInput{ServiceID: svc.ID, Start: start, Client: daoyue.Client{Name: "林小華", Email: "hua@example.com"}}
			if p != nil {
				in.PractitionerID = p.ID
			}
			return f.a.Book(context.Background(), "studio", in)
		}
		first, err := book(lin)
		if err != nil {
			t.Fatal(err)
		}
		second, err := book(lin) // from the cache
		if err != nil {
			t.Fatal(err)
		}

		// Another studio's service and practitioner, cached by a booking
		// there, are not bookable here: the cache is per studio.
		other2 := f.env.Studio("studio-b", "乙工作室", "owner@b.example", "owner password 2")
		if _, err := f.a.Book(context.Background(), "studio-b", app.BookInput{ServiceID: other2.Online.ID, PractitionerID: other2.Lin.ID,
			Start: at(4, 16), Client: daoyue.Client{Name: "林小華", Email: "hua@example.com"}}); err != nil {
			t.Fatal(err)
		}
		for _, in := range []app.BookInput{{ServiceID: other2.Online.ID, PractitionerID: other2.Lin.ID}, {ServiceID: other2.Online.ID},
			{ServiceID: svc.ID, PractitionerID: other2.Lin.ID}} {
			in.Start, in.Client = at(4, 16), daoyue.Client{Name: "林小華", Email: "hua@example.com"}
			if _, err := f.a.Book(context.Background(), "studio", in); !daoyue.IsCode(err, daoyue.ENOTFOUND) {
				t.Errorf("booking studio-b's %s/%s through studio: %v, want ENOTFOUND", in.ServiceID, in.PractitionerID, err)
			}
		}

		changed := *svc
		changed.Price.Amount = first.Booking.Price.Amount + 700
		if err := other.UpdateService(f.owner, "studio", &changed); err != nil {
			t.Fatal(err)
		}
		b, err := book(lin)
		if err != nil {
			t.Fatal(err)
		}
		if b.Booking.Price.Amount != changed.Price.Amount {
			t.Errorf("after a new price elsewhere: booked at %d, want %d", b.Booking.Price.Amount, changed.Price.Amount)
		}

		// An email composed outside a booking's own transaction (here the
		// studio's cancellation) names the service as it is now, though
		// one before the rename was composed from the catalog too.
		if _, err := f.a.Cancel(f.owner, "studio", second.Booking.ID, "改期"); err != nil {
			t.Fatal(err)
		}
		changed.Name = "線上瑜珈 · 新名稱"
		if err := other.UpdateService(f.owner, "studio", &changed); err != nil {
			t.Fatal(err)
		}
		if _, err := f.a.Cancel(f.owner, "studio", first.Booking.ID, "改期"); err != nil {
			t.Fatal(err)
		}
		ob, err := f.a.Outbox(f.owner, "studio", "", 50)
		if err != nil {
			t.Fatal(err)
		}
		named := false
		for _, m := range ob.Messages {
			if m.BookingID == first.Booking.ID && m.Kind == daoyue.MailCancelled {
				named = strings.Contains(m.Text, changed.Name)
			}
		}
		if !named {
			t.Errorf("the cancellation does not name the service as renamed elsewhere (%q)", changed.Name)
		}

		changed.PractitionerIDs = []string{chen.ID}
		if err := other.UpdateService(f.owner, "studio", &changed); err != nil {
			t.Fatal(err)
		}
		if _, err := book(lin); !daoyue.IsCode(err, daoyue.ENOTFOUND) {
			t.Errorf("Lin no longer gives the service: %v, want ENOTFOUND", err)
		}
		if b, err := book(nil); err != nil || b.Booking.PractitionerID != chen.ID {
			t.Fatalf("any practitioner: %v, %+v", err, b.Booking)
		}

		off := false
		if _, err := other.UpdatePractitioner(f.owner, "studio", chen.ID, app.PractitionerUpdate{Active: &off}); err != nil {
			t.Fatal(err)
		}
		if _, err := book(chen); !daoyue.IsCode(err, daoyue.ENOTFOUND) {
			t.Errorf("Chen deactivated: %v, want ENOTFOUND", err)
		}

		changed.PractitionerIDs, changed.Active = []string{lin.ID, chen.ID}, false
		if err := other.UpdateService(f.owner, "studio", &changed); err != nil {
			t.Fatal(err)
		}
		if _, err := book(lin); !daoyue.IsCode(err, daoyue.ENOTFOUND) {
			t.Errorf("service taken off: %v, want ENOTFOUND", err)
		}
		changed.Active = true
		if err := other.UpdateService(f.owner, "studio", &changed); err != nil {
			t.Fatal(err)
		}
		if b, err := book(nil); err != nil || b.Booking.PractitionerID != lin.ID {
			t.Fatalf("back on, Chen still off: %v, %+v", err, b.Booking)
		}
	})
}
