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
// and each submission is counted in the transaction that stores it, so a
// burst of parallel ones is counted one by one.
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
// production): every limit is still counted in the submission's
// transaction, as in production, so the load pays the same writes, but a
// few hundred simulated addresses without proofs of work are not refused.
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

// bookingAllowed counts a new booking against its limits in tx and returns
// whether it carried a valid, unused proof of work, and the first limit it
// is over (nil: go ahead). A policy with Free 0 is off.
func (a *App) bookingAllowed(ctx context.Context, tx daoyue.Tx, ws *daoyue.Workspace, in BookInput) (checked bool, over *burst, err error) {
	checked, err = a.useProof(ctx, tx, ws.Slug, in.Proof)
	if err != nil {
		return false, nil, err
	}
	sum := sha256.Sum256([]byte(in.Client.Email))
	limits := []struct {
		name, key string
		p         daoyue.Throttle
	}{
		{"address", "book-addr:" + in.ClientAddr, a.Limits.BookingsPerAddress},
		{"email", "book-email:" + hex.EncodeToString(sum[:16]), a.Limits.BookingsPerEmail},
		{"workspace", "book-ws:" + ws.ID, a.Limits.BookingsPerWorkspace},
	}
	if !checked && in.ClientAddr != "" {
		limits = append(limits, []struct {
			name, key string
			p         daoyue.Throttle
		}{
			{"unchecked-address", "book-unchecked-addr:" + in.ClientAddr, a.Limits.UncheckedPerAddress},
			{"unchecked-workspace", "book-unchecked-ws:" + ws.ID, a.Limits.UncheckedPerWorkspace},
		}...)
	}
	for _, l := range limits {
		if l.p.Free == 0 || (l.name == "address" && in.ClientAddr == "") {
			continue
		}
		wait, err := tx.HitThrottle(ctx, l.key, l.p, a.now())
		if err != nil || wait > 0 {
			if wait > 0 {
				return checked, &burst{workspaceID: ws.ID, limit: l.name, wait: wait}, err
			}
			return checked, nil, err
		}
	}
	return checked, nil, nil
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
