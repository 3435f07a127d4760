package storetest

import (
	"math/rand/v2"
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

// testThrottlesAsHit: HitThrottles decides as daoyue.Throttle.Hit applied
// key after key to the stored state (its times kept in whole seconds), in
// every case: a random walk through attempts at random times over keys
// with several policies reaches counts under, at and over Free, waits,
// quiet starts afresh and times exactly on, or a nanosecond either side
// of, each edge.
func testThrottlesAsHit(e *env) {
	t, ctx := e.t, e.ctx
	r := rand.New(rand.NewPCG(14, 2026))
	policies := []daoyue.Throttle{
		{Free: 1, Base: time.Second, Max: time.Minute, Quiet: 90 * time.Second},
		{Free: 2, Base: 30 * time.Second, Max: 5 * time.Minute, Quiet: 10 * time.Minute},
		{Free: 3, Base: time.Second, Max: 5 * time.Minute, Quiet: 2 * time.Minute},
		{Free: 5, Base: 7 * time.Second, Max: time.Hour, Quiet: 3 * time.Minute},
	}
	keys := make([]string, len(policies))
	model := map[string]daoyue.ThrottleState{}
	for i := range keys {
		keys[i] = "tmodel:" + rnd()
	}
	stored := func(s daoyue.ThrottleState) daoyue.ThrottleState {
		// What a read gives back: whole seconds, zero for none.
		if !s.LastHit.IsZero() {
			s.LastHit = time.Unix(s.LastHit.Unix(), 0).UTC()
		}
		if !s.NextAllowed.IsZero() {
			s.NextAllowed = time.Unix(s.NextAllowed.Unix(), 0).UTC()
		}
		return s
	}
	steps := []time.Duration{0, 0, 0, time.Second, 7 * time.Second, 45 * time.Second, 100 * time.Second, 11 * time.Minute}
	now := base
	for step := range 600 {
		// Now and then exactly on, or a nanosecond either side of, a key's
		// edge: its quiet period's end, or the end of its wait.
		s := model[keys[r.IntN(len(keys))]]
		edges := []time.Time{}
		if !s.LastHit.IsZero() {
			edges = append(edges, s.LastHit.Add(policies[0].Quiet), s.LastHit.Add(policies[1].Quiet),
				s.LastHit.Add(policies[2].Quiet), s.LastHit.Add(policies[3].Quiet))
		}
		if !s.NextAllowed.IsZero() {
			edges = append(edges, s.NextAllowed)
		}
		if len(edges) > 0 && r.IntN(3) == 0 {
			if edge := edges[r.IntN(len(edges))].Add(time.Duration(r.IntN(3)-1) * time.Nanosecond); edge.After(now) {
				now = edge
			}
		} else {
			now = now.Add(steps[r.IntN(len(steps))] + time.Duration(r.IntN(1000))*time.Millisecond)
		}
		order := r.Perm(len(keys))[:1+r.IntN(len(keys))]
		hits := make([]daoyue.ThrottleHit, len(order))
		for i, k := range order {
			hits[i] = daoyue.ThrottleHit{Key: keys[k], Policy: policies[k]}
		}
		wantOver, wantWait := -1, time.Duration(0)
		next := map[string]daoyue.ThrottleState{}
		for i, h := range hits {
			s, w := h.Policy.Hit(model[h.Key], now)
			if w > 0 {
				wantOver, wantWait = i, w
				break
			}
			next[h.Key] = stored(s)
		}
		var over int
		var wait time.Duration
		e.update(func(tx daoyue.Tx) error {
			var err error
			over, wait, err = tx.HitThrottles(ctx, hits, now)
			return err
		})
		if over != wantOver || wait != wantWait {
			t.Fatalf("step %d at %s, keys %v: over %d after %v, Throttle.Hit says %d after %v (states %+v)",
				step, now.Format(time.RFC3339Nano), order, over, wait, wantOver, wantWait, model)
		}
		for k, s := range next {
			model[k] = s
		}
	}
}
