package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/daoyue/daoyue"
)

// Limits on what the open internet may ask of a studio. Each counts in the
// database (daoyue.Throttle), so every instance sees the same submissions,
// and atomically, so a burst of parallel ones is counted one by one. A
// submission is counted in a short transaction before the booking's
// (countSubmission), so every attempt counts, booked or not.
type Limits struct {
	// BookingsPerAddress bounds new bookings from one client address, in
	// every studio together: a real client books a few times, a script
	// that invents recipients for a studio-branded email books hundreds.
	BookingsPerAddress daoyue.Throttle
	// BookingsPerEmail bounds new bookings for one recipient address.
	BookingsPerEmail daoyue.Throttle
	// BookingsPerWorkspace bounds one studio's new bookings from everywhere
	// (a distributed flood), generously: a popular class opening must pass.
	BookingsPerWorkspace daoyue.Throttle
	// UncheckedPerAddress and UncheckedPerWorkspace also count bookings
	// that come without the page's proof of work (no script, an API caller
	// that skips it, a replayed or forged answer): a real client almost
	// never does that, a script that will not pay the work does it always.
	UncheckedPerAddress   daoyue.Throttle
	UncheckedPerWorkspace daoyue.Throttle
}

// DefaultLimits are the limits serve runs with.
var DefaultLimits = Limits{
	BookingsPerAddress:    daoyue.Throttle{Free: 10, Base: 30 * time.Second, Max: time.Hour, Quiet: time.Hour},
	BookingsPerEmail:      daoyue.Throttle{Free: 5, Base: time.Minute, Max: time.Hour, Quiet: time.Hour},
	BookingsPerWorkspace:  daoyue.Throttle{Free: 300, Base: time.Second, Max: 5 * time.Minute, Quiet: 10 * time.Minute},
	UncheckedPerAddress:   daoyue.Throttle{Free: 3, Base: 5 * time.Minute, Max: time.Hour, Quiet: time.Hour},
	UncheckedPerWorkspace: daoyue.Throttle{Free: 20, Base: time.Minute, Max: time.Hour, Quiet: time.Hour},
}

// DevelopmentLimits are DefaultLimits ten times looser, for development
// mode, where one person tries the demo from one address with one email.
var DevelopmentLimits = func() Limits {
	l := DefaultLimits
	for _, p := range []*daoyue.Throttle{&l.BookingsPerAddress, &l.BookingsPerEmail, &l.BookingsPerWorkspace, &l.UncheckedPerAddress, &l.UncheckedPerWorkspace} {
		p.Free *= 10
	}
	return l
}()

// LoadtestLimits are DefaultLimits ten thousand times looser, for
// `daoyue loadtest` submissions (DAOYUE_LOADTEST_LIMITS=on, refused in
// production): every limit is still counted for each submission, as in
// production, so the load pays the same writes, but a few hundred
// simulated addresses without proofs of work are not refused.
var LoadtestLimits = func() Limits {
	l := DefaultLimits
	for _, p := range []*daoyue.Throttle{&l.BookingsPerAddress, &l.BookingsPerEmail, &l.BookingsPerWorkspace, &l.UncheckedPerAddress, &l.UncheckedPerWorkspace} {
		p.Free *= 10000
	}
	return l
}()

// burst is a refused submission, for the studio's audit log.
type burst struct {
	workspaceID string
	limit       string // "address", "email", "workspace", "unchecked-address" or "unchecked-workspace"
	wait        time.Duration
}

// limit is one of the Limits a submission counts against.
type limit struct {
	name, key string
	p         daoyue.Throttle
}

// bookingLimits lists the limits a new booking in ws counts against; the
// unchecked ones too when it carries no valid, unused proof of work.
func (a *App) bookingLimits(ws *daoyue.Workspace, in BookInput, checked bool) []limit {
	var out []limit
	if in.ClientAddr != "" {
		out = append(out, limit{"address", "book-addr:" + in.ClientAddr, a.Limits.BookingsPerAddress})
	}
	sum := sha256.Sum256([]byte(in.Client.Email))
	out = append(out, limit{"email", "book-email:" + hex.EncodeToString(sum[:16]), a.Limits.BookingsPerEmail},
		limit{"workspace", "book-ws:" + ws.ID, a.Limits.BookingsPerWorkspace})
	if !checked {
		out = append(out, a.uncheckedLimits(ws, in)...)
	}
	return out
}

// uncheckedLimits are the limits only a booking without a valid, unused
// proof of work counts against (none for a caller without an address).
func (a *App) uncheckedLimits(ws *daoyue.Workspace, in BookInput) []limit {
	if in.ClientAddr == "" {
		return nil
	}
	return []limit{
		{"unchecked-address", "book-unchecked-addr:" + in.ClientAddr, a.Limits.UncheckedPerAddress},
		{"unchecked-workspace", "book-unchecked-ws:" + ws.ID, a.Limits.UncheckedPerWorkspace},
	}
}

// hitLimits counts a submission against limits in tx and returns the
// first it is over (nil: go ahead). A policy with Free 0 is off.
func (a *App) hitLimits(ctx context.Context, tx daoyue.Tx, wsID string, limits []limit) (*burst, error) {
	hits := make([]daoyue.ThrottleHit, 0, len(limits))
	names := make([]string, 0, len(limits))
	for _, l := range limits {
		if l.p.Free != 0 {
			hits = append(hits, daoyue.ThrottleHit{Key: l.key, Policy: l.p})
			names = append(names, l.name)
		}
	}
	over, wait, err := tx.HitThrottles(ctx, hits, a.now())
	if err != nil || over < 0 {
		return nil, err
	}
	return &burst{workspaceID: wsID, limit: names[over], wait: wait}, nil
}

// countSubmission counts a submission to slug against its limits. Book
// runs it as a step of its own before the booking's (Store.UpdateSteps):
// on PostgreSQL the studio-wide counters' rows are then locked for that
// transaction only, not for the whole of every booking's (which
// serialised all of a studio's submissions), and an attempt counts even
// when its slot turns out taken (docs/decisions.md). proofOK says whether
// the submission carries a valid answer to a challenge; whether that
// answer was unused is settled in the booking's step (useProof).
// It returns the workspace it read, for a booking step in the same
// transaction.
func (a *App) countSubmission(ctx context.Context, tx daoyue.Tx, slug string, in BookInput, proofOK bool) (*daoyue.Workspace, *burst, error) {
	ws, err := tx.WorkspaceBySlug(ctx, slug)
	if err != nil {
		return nil, nil, err
	}
	b, err := a.hitLimits(ctx, tx, ws.ID, a.bookingLimits(ws, in, proofOK))
	return ws, b, err
}

// noteBurst tells the studio, in its audit log, that submissions were
// refused: at most once an hour per studio and limit, so a flood writes
// one line, not thousands.
func (a *App) noteBurst(ctx context.Context, b *burst) {
	once := daoyue.Throttle{Free: 1, Base: time.Hour, Max: time.Hour, Quiet: time.Hour}
	err := a.Store.Update(context.WithoutCancel(ctx), func(tx daoyue.Tx) error {
		wait, err := tx.HitThrottle(ctx, "burst-note:"+b.workspaceID+":"+b.limit, once, a.now())
		if err != nil || wait > 0 {
			return err
		}
		ctx := daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorSystem, Label: "rate-limit"})
		return a.audit(ctx, tx, b.workspaceID, "booking.burst_refused", "workspace", b.workspaceID, map[string]string{"limit": b.limit})
	})
	if err != nil {
		a.Log.Warn("noting refused bookings failed", "error", err)
	}
}
