package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/zoom"
)

// meetingChanged runs inside every transaction that changes a booking. It
// decides whether Zoom must change and, if so, marks the meeting pending
// and enqueues the booking's sync job in this same transaction, so the job
// exists exactly when the change commits.
func (a *App) meetingChanged(ctx context.Context, tx daoyue.Tx, b *daoyue.Booking) error {
	now := a.now()
	host := daoyue.HostReady
	if b.NeedsHost(now) {
		c, err := tx.ZoomConnection(ctx, b.WorkspaceID, b.HostID)
		if err != nil && !daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return err
		}
		host = daoyue.Readiness(c)
	}
	if !b.PlanMeeting(now, host) {
		return nil
	}
	return tx.Enqueue(ctx, daoyue.SyncMeetingJob{WorkspaceID: b.WorkspaceID, BookingID: b.ID})
}

// resyncHost gives every upcoming confirmed online booking of a host whose
// meeting is missing or failed a fresh sync, after Zoom is connected,
// reconnected or set as default, and so does every booking whose meeting
// in that host's Zoom account failed to be deleted.
func (a *App) resyncHost(ctx context.Context, tx daoyue.Tx, wsID, hostID string) error {
	bs, err := tx.BookingsHostedBy(ctx, wsID, hostID, a.now())
	if err != nil {
		return err
	}
	for _, b := range bs {
		// Pending ones are already queued; the rest get a sync unless Zoom
		// already matches (a failed meeting never does).
		if b.Meeting.Status == daoyue.MeetingPending || b.MeetingInSync(a.now()) {
			continue
		}
		if err := a.meetingChanged(ctx, tx, b); err != nil {
			return err
		}
		if err := tx.UpdateBooking(ctx, b); err != nil {
			return err
		}
	}
	// Meetings this host's Zoom account holds for bookings that no longer
	// want them (cancelled while the connection needed re-authorization):
	// their delete failed, and is tried again now.
	c, err := tx.ZoomConnection(ctx, wsID, hostID)
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return nil
	} else if err != nil {
		return err
	}
	held, err := tx.BookingsByMeetingZoomUser(ctx, c.ZoomUserID)
	if err != nil {
		return err
	}
	for _, b := range held {
		if b.WorkspaceID != wsID || b.Meeting.Status != daoyue.MeetingFailed || b.MeetingInSync(a.now()) {
			continue
		}
		if err := a.meetingChanged(ctx, tx, b); err != nil {
			return err
		}
		if err := tx.UpdateBooking(ctx, b); err != nil {
			return err
		}
	}
	return nil
}

// RetryMeeting queues a new sync for a booking whose meeting failed.
func (a *App) RetryMeeting(ctx context.Context, slug, id string) (*BookingDetail, error) {
	return a.change(ctx, slug, id, "meeting.retry", func(tx daoyue.Tx, d *BookingDetail) (map[string]string, error) {
		// change() then runs meetingChanged, which queues the sync when
		// Zoom does not match the booking (a failed meeting never does).
		if s := d.Booking.Meeting.Status; s != daoyue.MeetingFailed && s != daoyue.MeetingNone {
			return nil, daoyue.Errorf(daoyue.ETRANSITION, "error.meeting_no_retry")
		}
		return nil, nil
	})
}

// RetryLater asks the job runner to run the sync again after Delay without
// counting a failure (Zoom said 429 with Retry-After).
type RetryLater struct{ Delay time.Duration }

func (r *RetryLater) Error() string { return fmt.Sprintf("zoom rate limited; retry in %s", r.Delay) }

var errNeedsReauth = errors.New("zoom authorization no longer valid")

// SyncMeeting makes Zoom match one booking. The job runner calls it; final
// is true on the last attempt the runner will make. It loops while the
// booking keeps changing, so the job leaves Zoom matching the latest state.
// A temporary failure is returned for the runner to retry with backoff; a
// *RetryLater asks for a pause; failures that need a person are recorded on
// the booking (status failed, with the cause and its fix) and return nil.
func (a *App) SyncMeeting(ctx context.Context, wsID, bookingID string, attempt int, final bool) error {
	ctx = daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorSystem, Label: "meeting-sync"})
	owner := daoyue.NewID("sync")
	start, err := a.claimSync(ctx, wsID, bookingID, owner)
	switch {
	case start.gone:
		return nil // deleted with its workspace
	case err != nil:
		return err
	case !start.claimed:
		// Another run works on this booking; it loops until the booking
		// is in sync, and this job looks again shortly.
		return &RetryLater{Delay: 2 * time.Second}
	}
	hold := a.holdSync(ctx, bookingID, owner)
	defer hold.release()
	ctx = hold.ctx
	for round := 0; round < 10; round++ {
		// The first round works on the booking as the claim read it (with
		// its create prepared); later ones read it again.
		b, prep := start.booking, start.create
		if round > 0 {
			prep = nil
			err := a.Store.View(ctx, func(tx daoyue.Tx) error {
				var err error
				b, err = tx.Booking(ctx, wsID, bookingID)
				return err
			})
			if daoyue.IsCode(err, daoyue.ENOTFOUND) {
				return nil // deleted with its workspace
			} else if err != nil {
				return err
			}
		}
		m := b.Meeting
		if m.SyncedVersion >= m.Version {
			return nil
		}
		version := m.Version
		action, callErr := a.applyMeeting(ctx, b, &m, prep)
		var later *RetryLater
		switch {
		case callErr == nil:
			m.LastError = ""
		case errors.As(callErr, &later):
			m.RecordSync(daoyue.SyncRateLimited, final, "zoom 429")
		case errors.Is(callErr, errNeedsReauth) && a.connectionWorks(ctx, b, &m):
			// Zoom refused the tokens this attempt held, but the connection
			// works now (another worker renewed them meanwhile): try again
			// rather than ask the studio to reconnect.
			m.RecordSync(daoyue.SyncTemporary, final, callErr.Error())
		case errors.Is(callErr, errNeedsReauth):
			m.RecordSync(daoyue.SyncNeedsReauth, final, callErr.Error())
		case zoom.IsTemporary(callErr):
			m.RecordSync(daoyue.SyncTemporary, final, callErr.Error())
		default:
			m.RecordSync(daoyue.SyncRejected, final, callErr.Error())
		}
		m.Attempts = attempt
		done := callErr == nil || m.Status == daoyue.MeetingFailed
		var moved, last bool
		var leaseUntil time.Time
		// This transaction renews the lease and, on the last round, frees
		// it; the background renewal must not run meanwhile (see syncHold).
		hold.pause()
		err = a.Store.Update(ctx, func(tx daoyue.Tx) error {
			// Read the booking for a change: a writer of it committing
			// meanwhile goes first or waits (daoyue.BookingStore), so a
			// message held for this sync is neither lost to nor sent twice
			// with that change. The calendar's lock is not needed: the
			// meeting moves nothing on it.
			cur, ws, err := tx.BookingInWorkspace(ctx, wsID, bookingID)
			if err != nil {
				return err
			}
			now := a.now()
			moved = cur.Meeting.Version != version
			m.Version = cur.Meeting.Version
			if done {
				m.SyncedVersion = version
			}
			// The booking may have changed while Zoom answered without
			// asking for a sync (a cancel that found no meeting yet, the
			// create being in flight): compare what Zoom now holds with
			// what the booking wants now, and go round again if they differ.
			if done && !moved && m.Status != daoyue.MeetingFailed && zoomDisagrees(cur, &m, now) {
				m.Version++
				moved = true
				if d, _ := cur.MeetingDesire(now); d == daoyue.DesireAbsent {
					// Keep what the delete needs, not the private details.
					m.JoinURL, m.Passcode = "", ""
				}
			}
			if moved && m.Status == daoyue.MeetingCreated {
				m.Set(daoyue.MeetingPending, daoyue.ReasonSyncing)
			}
			// Record only while this run still holds the booking. The
			// create in flight is m's, recorded now, or the prepared one,
			// never sent (one that failed was settled by createFailed; if
			// that could not be written, the next run names it). A run
			// that ends after this round frees the lease here rather than
			// in a transaction of its own.
			wall := time.Now()
			last = !done || !moved
			clear := action == "created" || action == "recreated" || (prep != nil && !prep.sent)
			if held, err := tx.SettleMeetingSync(ctx, bookingID, owner, wall.Add(SyncLease), wall, clear, last); err != nil {
				return err
			} else if !held {
				return errSyncLeaseLost
			}
			leaseUntil = wall.Add(SyncLease)
			m.UpdatedAt = &now
			cur.Meeting = m
			if err := a.meetingSettled(withKnown(ctx, ws, nil, nil), tx, cur, action); err != nil {
				return err
			}
			if err := tx.UpdateBooking(ctx, cur); err != nil {
				return err
			}
			if action != "" {
				return a.audit(ctx, tx, wsID, "meeting."+action, "booking", bookingID, map[string]string{"zoom_status": string(m.Status)})
			}
			if m.Status == daoyue.MeetingFailed {
				return a.audit(ctx, tx, wsID, "meeting.failed", "booking", bookingID, map[string]string{"cause": string(m.Reason)})
			}
			return nil
		})
		if err != nil {
			// Zoom may have changed while the database did not record it;
			// the runner retries and the next run reconciles.
			return err
		}
		if last {
			hold.released = true
		} else {
			hold.resume(leaseUntil)
		}
		if action != "" {
			a.Log.Info("meeting synced", slog.String("booking", bookingID), slog.String("action", action))
		}
		if !done {
			return callErr
		}
		if !moved {
			return nil
		}
	}
	return fmt.Errorf("booking %s kept changing during its meeting sync", bookingID)
}

// connectionWorks reports whether the Zoom connection the meeting's sync
// uses (the one holding the meeting, else the host's) is connected now.
func (a *App) connectionWorks(ctx context.Context, b *daoyue.Booking, m *daoyue.Meeting) bool {
	var c *daoyue.ZoomConnection
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		if m.ConnectionID != "" {
			c, err = tx.ZoomConnectionByID(ctx, m.ConnectionID)
		} else {
			c, err = tx.ZoomConnection(ctx, b.WorkspaceID, b.HostID)
		}
		return err
	})
	return err == nil && c.Status == daoyue.ConnConnected && (m.ZoomUserID == "" || c.ZoomUserID == m.ZoomUserID)
}

// zoomDisagrees reports whether the meeting m, as Zoom now holds it,
// differs from what booking b wants in a way a sync can act on: a meeting
// the booking no longer wants, or one at another time or length.
func zoomDisagrees(b *daoyue.Booking, m *daoyue.Meeting, now time.Time) bool {
	if !m.Has() {
		return false
	}
	switch d, _ := b.MeetingDesire(now); d {
	case daoyue.DesireAbsent:
		return true
	case daoyue.DesirePresent:
		return m.Start == nil || !m.Start.Equal(b.Start) || m.DurationMin != int(b.End.Sub(b.Start).Minutes())
	}
	return false
}

// applyMeeting performs the Zoom calls that take the meeting m toward what
// booking b wants, updating m as Zoom answers. It returns the audit action
// for what changed in Zoom ("" for nothing).
// prep, when set, is the create prepared with the run's claim: its
// connection and request are used, and its in-flight mark by the first call.
func (a *App) applyMeeting(ctx context.Context, b *daoyue.Booking, m *daoyue.Meeting, prep *preparedCreate) (string, error) {
	now := a.now()
	desire, note := b.MeetingDesire(now)
	if desire == daoyue.DesireKeep {
		return "", nil
	}
	if a.Zoom == nil {
		if m.Has() {
			return "", errNeedsReauth
		}
		m.Set(daoyue.MeetingNone, daoyue.ReasonHostNoZoom)
		return "", nil
	}
	duration := b.End.Sub(b.Start)
	if desire == daoyue.DesireAbsent {
		if !m.Has() {
			m.Set(daoyue.MeetingNone, note)
			return "", nil
		}
		c, err := a.meetingConnection(ctx, b, m)
		if err != nil {
			return "", err
		}
		if c == nil {
			m.Set(daoyue.MeetingFailed, daoyue.ReasonDisconnectedDelete)
			return "", nil
		}
		err = a.withAuth(ctx, c, func(auth zoom.Auth) error { return a.Zoom.Client.DeleteMeeting(ctx, auth, m.ZoomID) })
		if err != nil && !zoom.IsNotFound(err) {
			return "", err
		}
		*m = daoyue.Meeting{Version: m.Version, SyncedVersion: m.SyncedVersion}
		m.Set(daoyue.MeetingDeleted, daoyue.ReasonDeleted)
		return "deleted", nil
	}

	var c *daoyue.ZoomConnection
	var err error
	if m.Has() {
		if c, err = a.meetingConnection(ctx, b, m); err != nil {
			return "", err
		}
		if c == nil {
			m.Set(daoyue.MeetingFailed, daoyue.ReasonDisconnected)
			return "", nil
		}
	} else if prep != nil {
		c = prep.conn
	} else {
		err := a.Store.View(ctx, func(tx daoyue.Tx) error {
			c, err = tx.ZoomConnection(ctx, b.WorkspaceID, b.HostID)
			return err
		})
		switch {
		case daoyue.IsCode(err, daoyue.ENOTFOUND):
			m.Set(daoyue.MeetingNone, daoyue.ReasonHostNoZoom)
			return "", nil
		case err != nil:
			return "", err
		case !c.IsDefault:
			m.Set(daoyue.MeetingNone, daoyue.ReasonHostNotDefault)
			return "", nil
		case c.Status == daoyue.ConnNeedsReauth:
			return "", errNeedsReauth
		}
	}
	var req zoom.MeetingRequest
	if prep != nil {
		req = prep.req
	} else {
		req = a.meetingRequest(ctx, b)
	}
	create := func(auth zoom.Auth) error {
		// Say before the call what is being asked for: if no answer
		// comes (a crash, a timeout), the studio is told what Zoom may hold.
		var at daoyue.MeetingAttempt
		if prep != nil && !prep.sent {
			at, prep.sent = prep.at, true // marked with the claim
		} else {
			at = createAttempt(b, req)
			if err := a.setInFlight(ctx, b.ID, &at); err != nil {
				return err
			}
		}
		zm, err := a.Zoom.Client.CreateMeeting(ctx, auth, req)
		if err != nil {
			a.createFailed(ctx, b.WorkspaceID, b.ID, at, err)
			return err
		}
		start := b.Start
		m.ZoomID, m.JoinURL, m.Passcode = zm.ID, zm.JoinURL, zm.Password
		m.ConnectionID, m.ZoomUserID, m.Start, m.DurationMin = c.ID, c.ZoomUserID, &start, int(duration.Minutes())
		m.Set(daoyue.MeetingCreated, daoyue.ReasonCreated)
		return nil
	}
	if !m.Has() {
		if err := a.withAuth(ctx, c, create); err != nil {
			return "", err
		}
		return "created", nil
	}
	if m.Start != nil && m.Start.Equal(b.Start) && m.DurationMin == int(duration.Minutes()) {
		m.Set(daoyue.MeetingCreated, daoyue.ReasonCreated)
		return "", nil
	}
	err = a.withAuth(ctx, c, func(auth zoom.Auth) error { return a.Zoom.Client.UpdateMeeting(ctx, auth, m.ZoomID, req) })
	if zoom.IsNotFound(err) {
		// Deleted in Zoom before the reschedule: make it again, and say so.
		m.ZoomID, m.JoinURL, m.Passcode = 0, "", ""
		if err := a.withAuth(ctx, c, create); err != nil {
			return "", err
		}
		m.Recreated = true
		m.Set(daoyue.MeetingCreated, daoyue.ReasonRecreated)
		return "recreated", nil
	}
	if err != nil {
		return "", err
	}
	start := b.Start
	m.Start, m.DurationMin = &start, int(duration.Minutes())
	m.Set(daoyue.MeetingCreated, daoyue.ReasonMoved)
	return "moved", nil
}

// meetingConnection returns the connection that holds an existing meeting,
// or nil when that Zoom account is no longer connected.
func (a *App) meetingConnection(ctx context.Context, b *daoyue.Booking, m *daoyue.Meeting) (*daoyue.ZoomConnection, error) {
	var c *daoyue.ZoomConnection
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		c, err = tx.ZoomConnectionByID(ctx, m.ConnectionID)
		return err
	})
	if daoyue.IsCode(err, daoyue.ENOTFOUND) || (err == nil && c.ZoomUserID != m.ZoomUserID) {
		return nil, nil
	}
	if err == nil && c.Status == daoyue.ConnNeedsReauth {
		return nil, errNeedsReauth
	}
	return c, err
}

// meetingRequest is what Zoom is told about a booking's meeting: the
// service and client as topic, the time, and the workspace's zone for display.
func (a *App) meetingRequest(ctx context.Context, b *daoyue.Booking) zoom.MeetingRequest {
	req := baseMeetingRequest(b)
	_ = a.Store.View(ctx, func(tx daoyue.Tx) error {
		req = a.meetingRequestTx(ctx, tx, b)
		return nil
	})
	return req
}

// baseMeetingRequest is the request when the service and the workspace
// cannot be read.
func baseMeetingRequest(b *daoyue.Booking) zoom.MeetingRequest {
	return zoom.MeetingRequest{Topic: "DaoYue booking", Start: b.Start, Duration: b.End.Sub(b.Start), TimeZone: daoyue.DefaultTimeZone}
}

// meetingRequestTx is meetingRequest read in tx.
func (a *App) meetingRequestTx(ctx context.Context, tx daoyue.Tx, b *daoyue.Booking) zoom.MeetingRequest {
	req := baseMeetingRequest(b)
	ws, err := workspaceOf(ctx, tx, b.WorkspaceID)
	if err != nil {
		return req
	}
	req.TimeZone = ws.TimeZone
	if svc, err := a.serviceIn(ctx, tx, ws, b.ServiceID); err == nil {
		req.Topic = svc.Name + " · " + b.Client.Name
	}
	return req
}

// withAuth calls fn with a valid access token. A 401 gets one refresh and
// one more try; a second 401 or a refused refresh marks the connection as
// needing re-authorization. A 429 becomes *RetryLater.
func (a *App) withAuth(ctx context.Context, c *daoyue.ZoomConnection, fn func(zoom.Auth) error) error {
	auth, err := a.accessToken(ctx, c, "")
	if err != nil {
		return err
	}
	err = fn(auth)
	if zoom.IsUnauthorized(err) {
		if auth, err = a.accessToken(ctx, c, auth.AccessToken); err != nil {
			return err
		}
		err = fn(auth)
		if zoom.IsUnauthorized(err) {
			a.markNeedsReauth(ctx, c, "a second 401 after a token refresh")
			return errNeedsReauth
		}
	}
	if zoom.IsRateLimited(err) {
		var ze *zoom.Error
		delay := 5 * time.Second
		if errors.As(err, &ze) && ze.RetryAfter > 0 {
			delay = ze.RetryAfter
		}
		return &RetryLater{Delay: delay}
	}
	return err
}

// refreshMargin refreshes tokens this long before Zoom says they expire.
const refreshMargin = time.Minute

// accessToken returns a usable access token for c. It refreshes when the
// stored one is about to expire, or when stale (a token Zoom just refused)
// is still the stored one. Refreshes are serialised by a lease in the
// database, so two workers, in one process or several, never both spend
// the same refresh token: the loser waits and uses the winner's result.
//
// c was read just before: its own token, when fresh, is used without
// reading the row again (a token refreshed meanwhile costs one 401 and a
// reread).
func (a *App) accessToken(ctx context.Context, c *daoyue.ZoomConnection, stale string) (zoom.Auth, error) {
	if stale == "" && c.Status != daoyue.ConnNeedsReauth && c.ExpiresAt.After(a.now().Add(refreshMargin)) {
		if auth, err := a.openToken(c); err == nil {
			return auth, nil
		}
	}
	for wait := 0; ; wait++ {
		cur, auth, err := a.loadToken(ctx, c.ID)
		if err != nil {
			return zoom.Auth{}, err
		}
		fresh := cur.ExpiresAt.After(a.now().Add(refreshMargin))
		if fresh && auth.AccessToken != stale {
			return auth, nil
		}
		if cur.Status == daoyue.ConnNeedsReauth {
			return zoom.Auth{}, errNeedsReauth
		}
		var claimed bool
		err = a.Store.Update(ctx, func(tx daoyue.Tx) error {
			var err error
			claimed, err = tx.ClaimZoomRefresh(ctx, c.ID, a.now().Add(30*time.Second), a.now())
			return err
		})
		if err != nil {
			return zoom.Auth{}, err
		}
		if claimed {
			return a.refresh(ctx, c.ID, stale)
		}
		if wait > 120 {
			return zoom.Auth{}, &zoom.Error{Status: 503, Message: "token refresh by another worker did not finish"}
		}
		select {
		case <-ctx.Done():
			return zoom.Auth{}, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// loadToken reads and opens a connection's access token.
func (a *App) loadToken(ctx context.Context, id string) (*daoyue.ZoomConnection, zoom.Auth, error) {
	var c *daoyue.ZoomConnection
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		c, err = tx.ZoomConnectionByID(ctx, id)
		return err
	})
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return nil, zoom.Auth{}, errNeedsReauth // disconnected meanwhile
	} else if err != nil {
		return nil, zoom.Auth{}, err
	}
	auth, err := a.openToken(c)
	if err != nil {
		return nil, zoom.Auth{}, err
	}
	return c, auth, nil
}

// openToken opens c's access token.
func (a *App) openToken(c *daoyue.ZoomConnection) (zoom.Auth, error) {
	at, err := a.Zoom.Keys.Decrypt(c.AccessSealed, tokenContext(c.ID, "access"))
	if err != nil {
		return zoom.Auth{}, fmt.Errorf("open access token of %s: %w", c.ID, err)
	}
	return zoom.Auth{AccessToken: string(at), APIURL: c.APIURL}, nil
}

// refresh runs while this worker holds the connection's refresh lease.
func (a *App) refresh(ctx context.Context, id, stale string) (zoom.Auth, error) {
	release := func() {
		_ = a.Store.Update(context.WithoutCancel(ctx), func(tx daoyue.Tx) error { return tx.ReleaseZoomRefresh(ctx, id) })
	}
	c, auth, err := a.loadToken(ctx, id)
	if err != nil {
		release()
		return zoom.Auth{}, err
	}
	// Another worker may have refreshed between our check and our claim.
	if c.ExpiresAt.After(a.now().Add(refreshMargin)) && auth.AccessToken != stale {
		release()
		return auth, nil
	}
	rt, err := a.Zoom.Keys.Decrypt(c.RefreshSealed, tokenContext(c.ID, "refresh"))
	if err != nil {
		release()
		return zoom.Auth{}, fmt.Errorf("open refresh token of %s: %w", c.ID, err)
	}
	tok, err := a.Zoom.Client.Refresh(ctx, string(rt))
	if zoom.IsInvalidGrant(err) || zoom.IsUnauthorized(err) {
		release()
		a.markNeedsReauth(ctx, c, "the refresh token was refused")
		return zoom.Auth{}, errNeedsReauth
	}
	if err != nil {
		release()
		return zoom.Auth{}, err
	}
	// Store the rotated pair before using it: the old refresh token is
	// already spent at Zoom.
	err = a.Store.Update(context.WithoutCancel(ctx), func(tx daoyue.Tx) error {
		cur, err := tx.ZoomConnectionByID(ctx, id)
		if err != nil {
			return err
		}
		if err := a.seal(cur, tok); err != nil {
			return err
		}
		cur.UpdatedAt = a.now()
		if err := tx.PutZoomConnection(ctx, cur); err != nil {
			return err
		}
		return tx.ReleaseZoomRefresh(ctx, id)
	})
	if err != nil {
		a.Log.Error("storing refreshed zoom tokens failed", slog.String("connection", id), slog.Any("error", err))
		return zoom.Auth{}, err
	}
	return zoom.Auth{AccessToken: tok.AccessToken, APIURL: firstNonEmpty(tok.APIURL, c.APIURL)}, nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// markNeedsReauth records that Zoom no longer accepts the connection, and
// logs why (for the operator: the page says what to do).
func (a *App) markNeedsReauth(ctx context.Context, c *daoyue.ZoomConnection, cause string) {
	a.Log.Warn("zoom connection needs re-authorization", slog.String("connection", c.ID), slog.String("cause", cause))
	err := a.Store.Update(context.WithoutCancel(ctx), func(tx daoyue.Tx) error {
		cur, err := tx.ZoomConnectionByID(ctx, c.ID)
		if err != nil || cur.Status == daoyue.ConnNeedsReauth {
			return err
		}
		cur.Status, cur.UpdatedAt = daoyue.ConnNeedsReauth, a.now()
		if err := tx.PutZoomConnection(ctx, cur); err != nil {
			return err
		}
		return a.audit(ctx, tx, cur.WorkspaceID, "zoom.needs_reauth", "practitioner", cur.PractitionerID, nil)
	})
	if err != nil && !daoyue.IsCode(err, daoyue.ENOTFOUND) {
		a.Log.Error("mark zoom connection needs re-authorization", slog.String("connection", c.ID), slog.Any("error", err))
	}
}

// Resync enqueues a sync for bookings whose meeting fell behind (a change
// committed while that booking's job was finishing). It runs periodically.
// It reads first, leaves out the bookings whose sync is already queued or
// running (SyncsQueued), and opens a write transaction only for the rest,
// so a backlog of queued syncs neither takes SQLite's one writer every few
// seconds nor counts as requeued.
func (a *App) Resync(ctx context.Context) (int, error) {
	var bs []*daoyue.Booking
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		bs, err = tx.OutOfSyncBookings(ctx, 100)
		return err
	})
	if err != nil || len(bs) == 0 {
		return 0, err
	}
	if a.SyncsQueued != nil {
		ids := make([]string, len(bs))
		for i, b := range bs {
			ids[i] = b.ID
		}
		queued, err := a.SyncsQueued(ctx, ids)
		if err != nil {
			return 0, err
		}
		bs = slices.DeleteFunc(bs, func(b *daoyue.Booking) bool { return queued[b.ID] })
		if len(bs) == 0 {
			return 0, nil
		}
	}
	n := 0
	err = a.Store.Update(ctx, func(tx daoyue.Tx) error {
		for _, b := range bs {
			if err := tx.Enqueue(ctx, daoyue.SyncMeetingJob{WorkspaceID: b.WorkspaceID, BookingID: b.ID}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
