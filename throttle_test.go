package daoyue

import (
	"testing"
	"time"
)

func TestThrottleHit(t *testing.T) {
	p := Throttle{Free: 3, Base: time.Second, Max: 10 * time.Second, Quiet: time.Minute}
	t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	var s ThrottleState
	step := func(at time.Duration, wantWait time.Duration) {
		t.Helper()
		var wait time.Duration
		s, wait = p.Hit(s, t0.Add(at))
		if wait != wantWait {
			t.Fatalf("at %v: wait %v, want %v (state %+v)", at, wait, wantWait, s)
		}
	}
	step(0, 0)
	step(0, 0)
	step(0, 0)           // the third sets the first delay
	step(0, time.Second) // refused, unchanged
	step(time.Second, 0) // after the wait
	step(time.Second, 2*time.Second)
	step(3*time.Second, 0)
	step(3*time.Second, 4*time.Second)
	step(7*time.Second, 0)
	step(7*time.Second, 8*time.Second)
	step(15*time.Second, 0)
	step(15*time.Second, 10*time.Second) // capped at Max
	step(25*time.Second, 0)
	// A quiet minute after the wait is over starts afresh.
	step(25*time.Second+time.Minute, 0)
	if s.Hits != 1 {
		t.Fatalf("after a quiet minute: %+v", s)
	}
	// Huge counts never overflow the delay.
	s = ThrottleState{Hits: 500, LastHit: t0, NextAllowed: t0}
	if s, _ = p.Hit(s, t0); s.NextAllowed.Sub(t0) != p.Max {
		t.Fatalf("overflow: %+v", s)
	}
}
