// Package app holds DaoYue's use cases: it checks who may do what, runs each
// change in one transaction with its audit entry, and leaves storage to the
// daoyue.Store and rendering to the http package.
package app

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/secret"
)

// App is the use-case layer. Its fields are set once at start-up.
type App struct {
	slots   slotCache    // computed months of slots (slotcache.go)
	catalog catalogCache // the services and practitioners bookings read (catalog.go)

	Store daoyue.Store
	Now   func() time.Time
	Log   *slog.Logger
	// Zoom is nil when Zoom is not configured.
	Zoom *Zoom
	// ECPay is nil when ECPay checkout is not configured (ecpay.go).
	ECPay *ECPay
	// Stripe is nil when Stripe Checkout is not configured (stripe.go).
	Stripe *Stripe
	// Line is nil when LINE is not configured (line.go).
	Line *Line
	// Mail configures client notifications (notify.go).
	Mail Mail
	// Limits bounds what the open internet may submit (limits.go).
	Limits Limits
	// ProofBits is the booking form's proof-of-work difficulty; 0 is
	// proof.Bits. Tests ask for less to stay fast.
	ProofBits int
	// Keys seals the secrets later emails need (manage, invitation and
	// reset links) when Zoom is not configured; with Zoom, its keyring
	// (the same DAOYUE_SECRET_KEYS) does.
	Keys *secret.Keyring

	// Observer, when set, hears of booking changes (metrics).
	Observer Observer
	// SyncsQueued, when set, reports which of these bookings have a
	// meeting sync job queued or running (the job queue's answer), so the
	// periodic Resync leaves them alone.
	SyncsQueued func(ctx context.Context, bookingIDs []string) (map[string]bool, error)

	loginCount atomic.Uint64 // sign-in attempts, for the occasional sweep of old counters
}

// New returns an App over store using the real clock.
func New(store daoyue.Store, log *slog.Logger) *App {
	if log == nil {
		log = slog.Default()
	}
	return &App{Store: store, Now: func() time.Time { return time.Now().UTC().Truncate(time.Second) }, Log: log, Limits: DefaultLimits}
}

func (a *App) now() time.Time { return a.Now().UTC() }

// Observer hears of what the app does, for metrics.
type Observer interface {
	// BookingChanged is called as a booking change is written (inside its
	// transaction): the audit action and the booking's new status.
	BookingChanged(action, status string)
}

func (a *App) observeBooking(action string, status daoyue.Status) {
	if a.Observer != nil {
		a.Observer.BookingChanged(action, string(status))
	}
}

// memberAccess resolves a workspace by slug for the signed-in member in ctx.
// A workspace the actor is not a member of is ENOTFOUND, exactly like one
// that does not exist, so ids and slugs of other studios reveal nothing.
func memberAccess(ctx context.Context, tx daoyue.Tx, slug string) (*daoyue.Workspace, *daoyue.Member, error) {
	actor := daoyue.ActorFrom(ctx)
	if actor.Kind != daoyue.ActorMember || actor.UserID == "" {
		return nil, nil, daoyue.ErrUnauthorized
	}
	ws, err := tx.WorkspaceBySlug(ctx, slug)
	if err != nil {
		return nil, nil, err
	}
	m, err := tx.Member(ctx, ws.ID, actor.UserID)
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return nil, nil, daoyue.ErrNotFound // not a member: as if the studio did not exist
	} else if err != nil {
		// The membership could not be read (the database is down): say
		// so, rather than "not found" to a member.
		return nil, nil, err
	}
	if err := twoFactorRule(ctx, tx, ws, actor.UserID); err != nil {
		return nil, nil, err
	}
	return ws, m, nil
}

// requireManager refuses staff where setup changes are concerned.
func requireManager(m *daoyue.Member) error {
	if !m.Role.CanManage() {
		return daoyue.ErrForbidden
	}
	return nil
}

// requireTends refuses a member who may not change practitioner pid's own
// things (hours, overrides, Zoom): managers and pid's own practitioner member may.
func requireTends(m *daoyue.Member, pid string) error {
	if !m.Tends(pid) {
		return daoyue.ErrForbidden
	}
	return nil
}

// requireStudioWide refuses a practitioner member what spans the whole
// studio's bookings (the outbox, the audit log).
func requireStudioWide(m *daoyue.Member) error {
	if m.Role == daoyue.RolePractitioner {
		return daoyue.ErrForbidden
	}
	return nil
}

// View runs fn in a read transaction as a member of the workspace slug.
func (a *App) memberView(ctx context.Context, slug string, fn func(daoyue.Tx, *daoyue.Workspace, *daoyue.Member) error) error {
	return a.Store.View(ctx, func(tx daoyue.Tx) error {
		ws, m, err := memberAccess(ctx, tx, slug)
		if err != nil {
			return err
		}
		return fn(tx, ws, m)
	})
}

// memberUpdate runs fn in a write transaction as a member of the workspace slug.
func (a *App) memberUpdate(ctx context.Context, slug string, fn func(daoyue.Tx, *daoyue.Workspace, *daoyue.Member) error) error {
	return a.Store.Update(ctx, func(tx daoyue.Tx) error {
		ws, m, err := memberAccess(ctx, tx, slug)
		if err != nil {
			return err
		}
		return fn(tx, ws, m)
	})
}

// audit writes one entry for the actor in ctx.
func (a *App) audit(ctx context.Context, tx daoyue.Tx, wsID, action, objType, objID string, details map[string]string) error {
	return tx.AddAudit(ctx, &daoyue.AuditEntry{
		ID:          daoyue.NewID("au"),
		WorkspaceID: wsID,
		At:          a.now(),
		Actor:       daoyue.ActorFrom(ctx),
		Action:      action,
		ObjectType:  objType,
		ObjectID:    objID,
		Details:     details,
	})
}

// twoFactorRule refuses a member without two-factor sign-in in a workspace
// that requires it; the answer says how to turn it on.
func twoFactorRule(ctx context.Context, tx daoyue.Tx, ws *daoyue.Workspace, userID string) error {
	req, err := tx.TwoFactorRequired(ctx, ws.ID)
	if err != nil || !req {
		return err
	}
	u, err := tx.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	if !u.TwoFactor() {
		return daoyue.Errorf(daoyue.EFORBIDDEN, "error.totp_required").With("studio", ws.Name)
	}
	return nil
}
