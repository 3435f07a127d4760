package app_test

import (
	"context"
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
		if _, err := book(lin); err != nil { // from the cache
			t.Fatal(err)
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
