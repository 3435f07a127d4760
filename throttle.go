package daoyue

import (
	"context"
	"time"
)

// Throttle is a policy of growing delays for repeated attempts under one
// key (a sign-in's email and address, an address): the first Free attempts
// go through at once; from then on each attempt must wait Base, then twice
// as long, and so on up to Max. A key quiet for Quiet starts afresh. No
// key is ever locked outright: an attempt after its wait always goes
// through, so a stranger cannot keep anybody out.
type Throttle struct {
	Free  int
	Base  time.Duration
	Max   time.Duration
	Quiet time.Duration
}

// ThrottleState is what is remembered of a key.
type ThrottleState struct {
	Hits        int
	LastHit     time.Time
	NextAllowed time.Time
}

// Hit decides one attempt at now: it returns the state to store and, when
// the attempt must not go through, how long to wait (the state unchanged).
func (p Throttle) Hit(s ThrottleState, now time.Time) (ThrottleState, time.Duration) {
	if !s.LastHit.IsZero() && now.Sub(s.LastHit) >= p.Quiet && !now.Before(s.NextAllowed) {
		s = ThrottleState{}
	}
	if s.Hits >= p.Free && now.Before(s.NextAllowed) {
		return s, s.NextAllowed.Sub(now)
	}
	s.Hits++
	s.LastHit = now
	if s.Hits >= p.Free {
		wait := p.Max
		if n := s.Hits - p.Free; n < 30 {
			if d := p.Base << n; d > 0 && d < p.Max {
				wait = d
			}
		}
		s.NextAllowed = now.Add(wait)
	}
	return s, 0
}

// ThrottleHit is one attempt of HitThrottles: a key and its policy.
type ThrottleHit struct {
	Key    string
	Policy Throttle
}

// ThrottleStore keeps throttle counters in the database, so every
// instance counts the same attempts.
type ThrottleStore interface {
	// HitThrottle decides one attempt under key with p at now, atomically
	// with every concurrent attempt: 0 lets it through, anything else is
	// how long to wait.
	HitThrottle(ctx context.Context, key string, p Throttle, now time.Time) (time.Duration, error)
	// HitThrottles decides one attempt under each of hits' keys (all
	// distinct) in order, as HitThrottle one after the other would, and
	// stops at the first that must wait: it returns that one's index and
	// wait, or -1 and 0 when all went through. Atomic in the same way, in a
	// few statements whatever the number of keys.
	HitThrottles(ctx context.Context, hits []ThrottleHit, now time.Time) (int, time.Duration, error)
	// ClearThrottle forgets a key (a successful sign-in).
	ClearThrottle(ctx context.Context, key string) error
	// DeleteStaleThrottles forgets keys last hit before `before` whose wait is over.
	DeleteStaleThrottles(ctx context.Context, before, now time.Time) error
}
