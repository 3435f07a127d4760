package app

import (
	"context"
	"errors"
	"log/slog"
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

// claimSync takes the booking's lease for owner. A create left in flight by
// an earlier run (which died, or whose process did) is recorded as a
// meeting Zoom may hold. gone is true when the booking no longer exists.
func (a *App) claimSync(ctx context.Context, wsID, bookingID, owner string) (claimed, gone bool, err error) {
	err = a.Store.Update(ctx, func(tx daoyue.Tx) error {
		if _, err := tx.Booking(ctx, wsID, bookingID); err != nil {
			return err
		}
		now := time.Now()
		if claimed, err = tx.ClaimMeetingSync(ctx, bookingID, owner, now.Add(SyncLease), now); err != nil || !claimed {
			return err
		}
		st, err := tx.MeetingSync(ctx, bookingID)
		if err != nil || st.InFlight == nil {
			return err
		}
		return a.recordMaybeExtra(ctx, tx, wsID, bookingID, st, *st.InFlight)
	})
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return false, true, nil
	}
	return claimed, false, err
}

// recordMaybeExtra notes on the booking that a create's answer never came:
// Zoom may hold that meeting (DaoYue cannot list meetings to find out).
func (a *App) recordMaybeExtra(ctx context.Context, tx daoyue.Tx, wsID, bookingID string, st *daoyue.MeetingSyncState, at daoyue.MeetingAttempt) error {
	extra := append(st.MaybeExtra, at)
	if err := tx.SetMeetingSyncAttempts(ctx, bookingID, nil, extra); err != nil {
		return err
	}
	a.Log.Warn("a meeting create got no answer: Zoom may hold an extra meeting", slog.String("booking", bookingID),
		slog.Time("start", at.Start), slog.Time("sent_at", at.At))
	return a.audit(ctx, tx, wsID, "meeting.maybe_extra", "booking", bookingID, map[string]string{"start": at.Start.UTC().Format(time.RFC3339)})
}

// holdSync renews owner's lease until the returned release is called; the
// returned context is cancelled if the lease cannot be renewed in time or
// was taken over. release stops renewing and frees the lease.
func (a *App) holdSync(parent context.Context, bookingID, owner string) (context.Context, func()) {
	ctx, cancel := context.WithCancel(parent)
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		valid := time.Now().Add(SyncLease)
		for {
			wait := min(SyncLease/3, time.Until(valid.Add(-syncLeaseMargin)))
			if wait <= 0 {
				a.Log.Warn("meeting sync lease not renewed in time: stopping the run", slog.String("booking", bookingID))
				cancel()
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
				var err error
				ok, err = tx.ClaimMeetingSync(ctx, bookingID, owner, now.Add(SyncLease), now)
				return err
			})
			switch {
			case err == nil && ok:
				valid = now.Add(SyncLease)
			case err == nil:
				a.Log.Warn("meeting sync lease taken over: stopping the run", slog.String("booking", bookingID))
				cancel()
				return
			}
		}
	}()
	return ctx, func() {
		close(done)
		<-stopped
		cancel()
		rctx := context.WithoutCancel(parent)
		_ = a.Store.Update(rctx, func(tx daoyue.Tx) error { return tx.ReleaseMeetingSync(rctx, bookingID, owner) })
	}
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
