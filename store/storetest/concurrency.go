package storetest

import (
	"sync"
	"time"

	"github.com/daoyue/daoyue"
)

// racers is how many bookings try for the same time at once.
const racers = 60

// race runs racers transactions at once, each creating a booking and
// reserving block(i) for it (after locking the practitioner when lock is
// set), and checks that exactly one wins, the others get ESLOT, and one
// booking and one block remain.
func race(e *env, lock bool, block func(i int) daoyue.Interval) {
	t, ctx := e.t, e.ctx
	w := e.world()
	start := make(chan struct{})
	errs := make([]error, racers)
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() {
			<-start
			iv := block(i)
			b := newBooking(w.sa, w.pa.ID, iv.Start, daoyue.StatusConfirmed)
			b.End = iv.End
			errs[i] = e.s.Update(ctx, func(tx daoyue.Tx) error {
				if lock {
					if err := tx.LockPractitioner(ctx, w.a.ID, w.pa.ID); err != nil {
						return err
					}
				}
				if err := tx.CreateBooking(ctx, b); err != nil {
					return err
				}
				return tx.Reserve(ctx, reservation(b, iv.Start, iv.End))
			})
		})
	}
	close(start)
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case !daoyue.IsCode(err, daoyue.ESLOT):
			t.Errorf("racer %d: %v, want success or %s", i, err, daoyue.ESLOT)
		}
	}
	if won != 1 {
		t.Errorf("%d racers won, want exactly 1", won)
	}
	e.view(func(tx daoyue.Tx) error {
		list, _, err := tx.ListBookings(ctx, w.a.ID, daoyue.BookingFilter{Limit: 200})
		wantNoErr(t, "list", err)
		wantEqual(t, "bookings stored", len(list), 1)
		busy, err := tx.Busy(ctx, w.a.ID, []string{w.pa.ID}, at(-24, 0), at(48, 0))
		wantNoErr(t, "busy", err)
		wantEqual(t, "blocks stored", len(busy[w.pa.ID]), 1)
		return nil
	})
}

func testConcurrentSameBlock(e *env) {
	race(e, true, func(int) daoyue.Interval {
		return daoyue.Interval{Start: at(1, 0), End: at(2, 0)}
	})
}

// Every block contains [1:59, 2:00), so any two overlap, but no two are equal.
func testConcurrentOverlapping(e *env) {
	race(e, true, func(i int) daoyue.Interval {
		s := at(1, 0).Add(time.Duration(i) * time.Minute)
		return daoyue.Interval{Start: s, End: s.Add(time.Duration(61+i%7) * time.Minute)}
	})
}

// Without the practitioner's lock the database itself must still refuse
// (SQLite: serialised write transactions; PostgreSQL: the exclusion constraint).
func testConcurrentWithoutLock(e *env) {
	race(e, false, func(i int) daoyue.Interval {
		s := at(1, 0).Add(time.Duration(i%5) * time.Minute)
		return daoyue.Interval{Start: s, End: s.Add(time.Hour)}
	})
}
