package app

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/zoom"
)

// A booking's meeting sync runs under a lease on the booking (table
// meeting_syncs), claimed before it reads the booking and renewed while it
// works, so at most one run touches a booking's meeting at a time, in any
// process. A run whose lease cannot be renewed stops its Zoom calls (its
// context is cancelled) before the lease runs out, so a run that takes
// over an expired lease never races a live one. The jobs package uses the
// lease to tell a dead run (its job row still "running", no live lease)
// from a live one and hands the dead run's job back to the queue.
//
// Lease times are real time (time.Now), not App.Now: they measure
// processes, not the business calendar.

// SyncLease is how long a claim lasts without renewal; it is renewed every
// third of that.
const SyncLease = 15 * time.Second

// syncLeaseMargin is how long before the lease runs out an unrenewed run
// stops its calls.
const syncLeaseMargin = SyncLease / 5

var errSyncLeaseLost = errors.New("meeting sync: lease lost to another run")

// syncStart is what a run's first transaction found.
type syncStart struct {
	claimed, gone bool
	// booking as read under the claim.
	booking *daoyue.Booking
	// create, when set, is the booking's meeting create, already marked
	// in flight.
	create *preparedCreate
}

// preparedCreate is a create the claim marked in flight, with what the
// call needs (read in the claim's transaction), so that the common first
// sync of a booking takes the writer once before Zoom answers rather than
// twice.
type preparedCreate struct {
	conn *daoyue.ZoomConnection
	req  zoom.MeetingRequest
	at   daoyue.MeetingAttempt
	// sent is true once a call was made with the mark; a mark never sent
	// is cleared by the run's record transaction.
	sent bool
}

// claimSync takes the booking's lease for owner. A create left in flight by
// an earlier run (which died, or whose process did) is recorded as a
// meeting Zoom may hold. When the booking's first step is to create its
// meeting, the create is prepared first (reads only) and the claim's own
// statement marks it in flight. gone is true when the booking no longer
// exists.
func (a *App) claimSync(ctx context.Context, wsID, bookingID, owner string) (s syncStart, err error) {
	err = a.Store.Update(ctx, func(tx daoyue.Tx) error {
		b, ws, err := tx.BookingInWorkspace(ctx, wsID, bookingID)
		if err != nil {
			return err
		}
		prep, err := a.prepareCreate(withKnown(ctx, ws, nil, nil), tx, b)
		if err != nil {
			return err
		}
		var mark *daoyue.MeetingAttempt
		if prep != nil {
			mark = &prep.at
		}
		now := time.Now()
		st, marked, err := tx.ClaimMeetingSync(ctx, bookingID, owner, now.Add(SyncLease), now, mark)
		if s.claimed = st != nil; err != nil || !s.claimed {
			return err
		}
		s.booking, s.create = b, prep
		if marked || st.InFlight == nil {
			return nil
		}
		// An earlier run's create is in flight: recorded, then this one.
		if err := a.recordMaybeExtra(ctx, tx, wsID, bookingID, st, *st.InFlight); err != nil {
			return err
		}
		if prep == nil {
			return nil
		}
		return tx.SetMeetingSyncAttempts(ctx, bookingID, mark, st.MaybeExtra)
	})
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return syncStart{gone: true}, nil
	} else if err != nil {
		return syncStart{}, err
	}
	return s, nil
}

// prepareCreate, when b's meeting is to be created (as applyMeeting would
// decide: wanted, none held, the host's default Zoom connection usable),
// reads the connection and the request, in tx; otherwise it returns nil
// and applyMeeting reads what it needs itself.
func (a *App) prepareCreate(ctx context.Context, tx daoyue.Tx, b *daoyue.Booking) (*preparedCreate, error) {
	m := &b.Meeting
	if a.Zoom == nil || m.SyncedVersion >= m.Version || m.Has() {
		return nil, nil
	}
	if d, _ := b.MeetingDesire(a.now()); d != daoyue.DesirePresent {
		return nil, nil
	}
	c, err := tx.ZoomConnection(ctx, b.WorkspaceID, b.HostID)
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if !c.IsDefault || c.Status == daoyue.ConnNeedsReauth {
		return nil, nil
	}
	p := &preparedCreate{conn: c, req: a.meetingRequestTx(ctx, tx, b)}
	p.at = createAttempt(b, p.req)
	return p, nil
}

// createAttempt is the in-flight record of a create of b's meeting.
func createAttempt(b *daoyue.Booking, req zoom.MeetingRequest) daoyue.MeetingAttempt {
	return daoyue.MeetingAttempt{At: time.Now().UTC(), Start: b.Start.UTC(), DurationMin: int(b.End.Sub(b.Start).Minutes()),
		Topic: req.Topic, HostID: b.HostID}
}

// recordMaybeExtra notes on the booking that a create's answer never came:
// Zoom may hold that meeting (DaoYue cannot list meetings to find out).
// st is updated to match (nothing in flight, at among the maybe-extras).
func (a *App) recordMaybeExtra(ctx context.Context, tx daoyue.Tx, wsID, bookingID string, st *daoyue.MeetingSyncState, at daoyue.MeetingAttempt) error {
	extra := append(slices.Clip(st.MaybeExtra), at)
	if err := tx.SetMeetingSyncAttempts(ctx, bookingID, nil, extra); err != nil {
		return err
	}
	st.InFlight, st.MaybeExtra = nil, extra
	a.Log.Warn("a meeting create got no answer: Zoom may hold an extra meeting", slog.String("booking", bookingID),
		slog.Time("start", at.Start), slog.Time("sent_at", at.At))
	return a.audit(ctx, tx, wsID, "meeting.maybe_extra", "booking", bookingID, map[string]string{"start": at.Start.UTC().Format(time.RFC3339)})
}

// syncHold renews a run's lease in the background. The record transaction
// renews the lease itself and, on the run's last round, frees it, so the
// renewal is paused around it: a renewal committing after that release
// would take the lease again for a finished run.
type syncHold struct {
	a                *App
	parent           context.Context
	bookingID, owner string
	// ctx is cancelled if the lease cannot be renewed in time or was
	// taken over.
	ctx           context.Context
	cancel        context.CancelFunc
	done, stopped chan struct{}
	// released is set once a record transaction freed the lease.
	released bool
}

// holdSync starts renewing owner's lease, claimed just now.
func (a *App) holdSync(parent context.Context, bookingID, owner string) *syncHold {
	h := &syncHold{a: a, parent: parent, bookingID: bookingID, owner: owner}
	h.ctx, h.cancel = context.WithCancel(parent)
	h.resume(time.Now().Add(SyncLease))
	return h
}

// resume renews the lease again, valid until valid.
func (h *syncHold) resume(valid time.Time) {
	h.done, h.stopped = make(chan struct{}), make(chan struct{})
	go h.renew(valid, h.done, h.stopped)
}

// pause stops renewing; the lease stays valid until its end.
func (h *syncHold) pause() {
	if h.done == nil {
		return
	}
	close(h.done)
	<-h.stopped
	h.done = nil
}

func (h *syncHold) renew(valid time.Time, done <-chan struct{}, stopped chan<- struct{}) {
	defer close(stopped)
	a, ctx := h.a, h.ctx
	for {
		wait := min(SyncLease/3, time.Until(valid.Add(-syncLeaseMargin)))
		if wait <= 0 {
			a.Log.Warn("meeting sync lease not renewed in time: stopping the run", slog.String("booking", h.bookingID))
			h.cancel()
			return
		}
		t := time.NewTimer(wait)
		select {
		case <-done:
			t.Stop()
			return
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		var ok bool
		now := time.Now()
		err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
			st, _, err := tx.ClaimMeetingSync(ctx, h.bookingID, h.owner, now.Add(SyncLease), now, nil)
			ok = st != nil
			return err
		})
		switch {
		case err == nil && ok:
			valid = now.Add(SyncLease)
		case err == nil:
			a.Log.Warn("meeting sync lease taken over: stopping the run", slog.String("booking", h.bookingID))
			h.cancel()
			return
		}
	}
}

// release stops renewing and frees the lease unless a record transaction
// already did.
func (h *syncHold) release() {
	h.pause()
	h.cancel()
	if h.released {
		return
	}
	rctx := context.WithoutCancel(h.parent)
	_ = h.a.Store.Update(rctx, func(tx daoyue.Tx) error { return tx.ReleaseMeetingSync(rctx, h.bookingID, h.owner) })
}

// SyncLeaseHeld reports whether a live sync run holds the booking's lease.
// The job runner asks before handing a "running" job back to the queue.
func (a *App) SyncLeaseHeld(ctx context.Context, bookingID string) (bool, error) {
	var held bool
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		st, err := tx.MeetingSync(ctx, bookingID)
		if err != nil {
			return err
		}
		held = st.Owner != "" && st.LeaseUntil.After(time.Now())
		return nil
	})
	return held, err
}

// maybeExtraMeetings lists the creates of a booking whose answer never
// came: Zoom may hold one meeting for each, which the studio is told to
// look for. A create still in flight counts once its run is gone (the
// next run records it).
func maybeExtraMeetings(ctx context.Context, tx daoyue.Tx, bookingID string) ([]daoyue.MeetingAttempt, error) {
	st, err := tx.MeetingSync(ctx, bookingID)
	if err != nil {
		return nil, err
	}
	out := st.MaybeExtra
	if st.InFlight != nil && (st.Owner == "" || !st.LeaseUntil.After(time.Now())) {
		out = append(out, *st.InFlight)
	}
	return out, nil
}

// setInFlight records the create about to be sent (nil: none in flight).
func (a *App) setInFlight(ctx context.Context, bookingID string, at *daoyue.MeetingAttempt) error {
	return a.Store.Update(ctx, func(tx daoyue.Tx) error {
		st, err := tx.MeetingSync(ctx, bookingID)
		if err != nil {
			return err
		}
		return tx.SetMeetingSyncAttempts(ctx, bookingID, at, st.MaybeExtra)
	})
}

// createFailed settles the in-flight record of a create that failed: an
// error answer means Zoom made nothing; no answer at all (a timeout, a
// dropped connection, a cancelled call) means it may have.
func (a *App) createFailed(ctx context.Context, wsID, bookingID string, at daoyue.MeetingAttempt, callErr error) {
	ctx = context.WithoutCancel(ctx)
	var err error
	if noAnswer(callErr) {
		err = a.Store.Update(ctx, func(tx daoyue.Tx) error {
			st, err := tx.MeetingSync(ctx, bookingID)
			if err != nil {
				return err
			}
			return a.recordMaybeExtra(ctx, tx, wsID, bookingID, st, at)
		})
	} else {
		err = a.setInFlight(ctx, bookingID, nil)
	}
	if err != nil {
		// The in-flight record stays; the next run records it.
		a.Log.Error("recording a failed meeting create", slog.String("booking", bookingID), slog.Any("error", err))
	}
}

// noAnswer reports a Zoom call that got no answer (Status 0).
func noAnswer(err error) bool {
	var ze *zoom.Error
	return errors.As(err, &ze) && ze.Status == 0
}
