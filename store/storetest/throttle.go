package storetest

import (
	"sync"
	"time"

	"github.com/daoyue/daoyue"
)

// HitThrottles counts like HitThrottle one key after the other: it stops
// at the first key that must wait, leaving the later ones unhit.
func testHitThrottles(e *env) {
	t, ctx := e.t, e.ctx
	now := base
	once := daoyue.Throttle{Free: 1, Base: time.Minute, Max: time.Hour, Quiet: time.Hour}
	three := daoyue.Throttle{Free: 3, Base: time.Minute, Max: time.Hour, Quiet: time.Hour}
	a, b := "ta:"+rnd(), "tb:"+rnd()
	hit := func(hits ...daoyue.ThrottleHit) (over int, wait time.Duration) {
		t.Helper()
		e.update(func(tx daoyue.Tx) error {
			var err error
			over, wait, err = tx.HitThrottles(ctx, hits, now)
			return err
		})
		return over, wait
	}
	if over, wait := hit(); over != -1 || wait != 0 {
		t.Errorf("no keys: %d %v", over, wait)
	}
	if over, _ := hit(daoyue.ThrottleHit{Key: a, Policy: once}, daoyue.ThrottleHit{Key: b, Policy: three}); over != -1 {
		t.Fatalf("first hit refused at %d", over)
	}
	if over, wait := hit(daoyue.ThrottleHit{Key: a, Policy: once}, daoyue.ThrottleHit{Key: b, Policy: three}); over != 0 || wait != time.Minute {
		t.Fatalf("second hit: over at %d after %v, want 0 after 1m", over, wait)
	}
	// b was hit once, not twice: two more go through, then it waits.
	for i, want := range []time.Duration{0, 0, time.Minute} {
		var wait time.Duration
		e.update(func(tx daoyue.Tx) error {
			var err error
			wait, err = tx.HitThrottle(ctx, b, three, now)
			return err
		})
		if wait != want {
			t.Fatalf("HitThrottle on b, %d: wait %v, want %v", i, wait, want)
		}
	}
	// Keys before the one that waits are counted.
	c := "tc:" + rnd()
	if over, _ := hit(daoyue.ThrottleHit{Key: c, Policy: three}, daoyue.ThrottleHit{Key: a, Policy: once}); over != 1 {
		t.Fatalf("c then a: over at %d, want 1", over)
	}
	if over, _ := hit(daoyue.ThrottleHit{Key: c, Policy: three}, daoyue.ThrottleHit{Key: c + "x", Policy: three}); over != -1 {
		t.Fatalf("c's second hit refused at %d", over)
	}
	if over, _ := hit(daoyue.ThrottleHit{Key: c, Policy: three}); over != -1 {
		t.Fatalf("c's third hit refused at %d", over)
	}
	if over, _ := hit(daoyue.ThrottleHit{Key: c, Policy: three}); over != 0 {
		t.Fatalf("c's fourth hit went through")
	}
}

// Concurrent HitThrottles on a shared key, in either order among other
// keys, count one by one and do not deadlock: exactly Free go through.
func testConcurrentHitThrottles(e *env) {
	t, ctx := e.t, e.ctx
	shared := daoyue.ThrottleHit{Key: "tshared:" + rnd(), Policy: daoyue.Throttle{Free: 10, Base: time.Minute, Max: time.Hour, Quiet: time.Hour}}
	own := daoyue.Throttle{Free: 5, Base: time.Minute, Max: time.Hour, Quiet: time.Hour}
	const n = 40
	overs := make([]int, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			hits := []daoyue.ThrottleHit{{Key: "town:" + rnd(), Policy: own}, shared}
			if i%2 == 0 {
				hits[0], hits[1] = hits[1], hits[0]
			}
			errs[i] = e.s.Update(ctx, func(tx daoyue.Tx) error {
				over, _, err := tx.HitThrottles(ctx, hits, base)
				if over >= 0 && hits[over].Key != shared.Key {
					t.Errorf("racer %d refused on its own key", i)
				}
				overs[i] = over
				return err
			})
		})
	}
	close(start)
	wg.Wait()
	through := 0
	for i, err := range errs {
		wantNoErr(t, "racer", err)
		if overs[i] == -1 {
			through++
		}
	}
	wantEqual(t, "attempts through the shared key", through, 10)
}
