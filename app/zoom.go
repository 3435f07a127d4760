package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/secret"
	"github.com/daoyue/daoyue/zoom"
)

// Zoom is what the app needs to talk to Zoom. Nil on an App means Zoom is
// not configured: connect is refused and online bookings get no meeting.
type Zoom struct {
	Client *zoom.Client
	Keys   *secret.Keyring
	// WebhookSecret verifies Zoom's event notifications.
	WebhookSecret string
	// Simulated is true when the built-in simulator stands in for Zoom.
	Simulated bool
}

// ZoomStatus is a practitioner's Zoom card: status and account label.
type ZoomStatus struct {
	Status       string // not_connected | connected | needs_reauth
	AccountLabel string
	IsDefault    bool
}

// ZoomStatusOf describes a connection (nil: not connected).
func ZoomStatusOf(c *daoyue.ZoomConnection) ZoomStatus {
	if c == nil {
		return ZoomStatus{Status: "not_connected"}
	}
	return ZoomStatus{Status: string(c.Status), AccountLabel: c.AccountLabel, IsDefault: c.IsDefault}
}

// ZoomConnections returns the Zoom card of each practitioner of the workspace.
func (a *App) ZoomConnections(ctx context.Context, slug string) (map[string]ZoomStatus, error) {
	out := map[string]ZoomStatus{}
	err := a.memberView(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, _ *daoyue.Member) error {
		cs, err := tx.ListZoomConnections(ctx, ws.ID)
		for _, c := range cs {
			out[c.PractitionerID] = ZoomStatusOf(c)
		}
		return err
	})
	return out, err
}

func (a *App) zoomReady() error {
	if a.Zoom == nil || a.Zoom.Client == nil || a.Zoom.Keys == nil {
		return daoyue.Errorf(daoyue.EINVALID, "error.zoom_not_configured")
	}
	return nil
}

func stateContext(hash string) string { return "oauth_states/" + hash }
func tokenContext(connID, which string) string {
	return "zoom_connections/" + connID + "/" + which
}

// ConnectZoom starts connecting a practitioner's Zoom account (連結 Zoom)
// and returns the URL of Zoom's consent page. The state is single use,
// expires in 10 minutes and is bound to this member and practitioner; PKCE
// protects the code.
func (a *App) ConnectZoom(ctx context.Context, slug, practitionerID string) (string, error) {
	if err := a.zoomReady(); err != nil {
		return "", err
	}
	state := daoyue.NewToken()
	verifier, challenge := zoom.NewPKCE()
	err := a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if err := requireTends(m, practitionerID); err != nil {
			return err
		}
		if _, err := tx.Practitioner(ctx, ws.ID, practitionerID); err != nil {
			return err
		}
		hash := daoyue.HashToken(state)
		sealed, err := a.Zoom.Keys.Encrypt([]byte(verifier), stateContext(hash))
		if err != nil {
			return err
		}
		return tx.CreateOAuthState(ctx, &daoyue.OAuthState{Hash: hash, Kind: "connect", WorkspaceID: ws.ID,
			PractitionerID: practitionerID, UserID: m.UserID, PayloadSealed: sealed,
			ExpiresAt: a.now().Add(daoyue.OAuthStateTTL), CreatedAt: a.now()})
	})
	if err != nil {
		return "", err
	}
	return a.Zoom.Client.AuthorizeURL(state, challenge), nil
}

// Connected says where a finished connect landed, for the page that follows.
type Connected struct {
	Workspace    *daoyue.Workspace
	Practitioner *daoyue.Practitioner
	Status       ZoomStatus
}

// CompleteZoom finishes a connect started by ConnectZoom: Zoom redirected
// back with code and state. If the callback carries a signed-in member, it
// must be the member who started.
func (a *App) CompleteZoom(ctx context.Context, state, code string) (*Connected, error) {
	if err := a.zoomReady(); err != nil {
		return nil, err
	}
	var st *daoyue.OAuthState
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
		var err error
		st, err = tx.TakeOAuthState(ctx, daoyue.HashToken(state), a.now())
		return err
	})
	if err != nil || st.Kind != "connect" {
		return nil, daoyue.Errorf(daoyue.EINVALID, "error.zoom_state")
	}
	if actor := daoyue.ActorFrom(ctx); actor.Kind == daoyue.ActorMember && actor.UserID != st.UserID {
		return nil, daoyue.Errorf(daoyue.EFORBIDDEN, "error.zoom_state_other_member")
	}
	verifier, err := a.Zoom.Keys.Decrypt(st.PayloadSealed, stateContext(st.Hash))
	if err != nil {
		return nil, fmt.Errorf("open oauth state: %w", err)
	}
	tok, user, err := a.exchange(ctx, code, string(verifier))
	if err != nil {
		return nil, err
	}
	ctx = daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorMember, UserID: st.UserID, Label: a.userLabel(ctx, st.UserID)})
	return a.bind(ctx, st.WorkspaceID, st.PractitionerID, tok, user)
}

func (a *App) userLabel(ctx context.Context, userID string) string {
	var label string
	_ = a.Store.View(ctx, func(tx daoyue.Tx) error {
		u, err := tx.UserByID(ctx, userID)
		if err == nil {
			label = u.Email
		}
		return err
	})
	return label
}

// exchange trades the code for tokens and reads who authorized.
func (a *App) exchange(ctx context.Context, code, verifier string) (*zoom.Token, *zoom.User, error) {
	tok, err := a.Zoom.Client.Exchange(ctx, code, verifier)
	if err != nil {
		a.Log.Warn("zoom code exchange failed", slog.Any("error", err))
		return nil, nil, daoyue.Errorf(daoyue.EINVALID, "error.zoom_exchange")
	}
	user, err := a.Zoom.Client.Me(ctx, zoom.Auth{AccessToken: tok.AccessToken, APIURL: tok.APIURL})
	if err != nil {
		a.Log.Warn("zoom users/me failed", slog.Any("error", err))
		return nil, nil, daoyue.Errorf(daoyue.EINVALID, "error.zoom_exchange")
	}
	return tok, user, nil
}

func accountLabel(u *zoom.User) string {
	name := u.DisplayName
	if name == "" {
		name = u.FirstName + " " + u.LastName
	}
	if u.Email == "" {
		return name
	}
	if name == "" || name == " " {
		return u.Email
	}
	return name + " <" + u.Email + ">"
}

// seal puts fresh tokens on a connection, each sealed to this row.
func (a *App) seal(c *daoyue.ZoomConnection, tok *zoom.Token) error {
	var err error
	if c.AccessSealed, err = a.Zoom.Keys.Encrypt([]byte(tok.AccessToken), tokenContext(c.ID, "access")); err != nil {
		return err
	}
	if c.RefreshSealed, err = a.Zoom.Keys.Encrypt([]byte(tok.RefreshToken), tokenContext(c.ID, "refresh")); err != nil {
		return err
	}
	c.ExpiresAt, c.Scope, c.Status = tok.ExpiresAt, tok.Scope, daoyue.ConnConnected
	if tok.APIURL != "" {
		c.APIURL = tok.APIURL
	}
	return nil
}

// bind stores the tokens of a Zoom user for a practitioner. A Zoom user
// bound to another practitioner is refused (EZOOMBOUND); since Zoom has just
// revoked that binding's old tokens, the fresh ones replace them so the
// existing binding keeps working.
func (a *App) bind(ctx context.Context, wsID, practitionerID string, tok *zoom.Token, user *zoom.User) (*Connected, error) {
	var out *Connected
	var bound *daoyue.Error
	var replaced *daoyue.ZoomConnection
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
		ws, err := tx.WorkspaceByID(ctx, wsID)
		if err != nil {
			return err
		}
		p, err := tx.Practitioner(ctx, wsID, practitionerID)
		if err != nil {
			return err
		}
		now := a.now()
		if other, err := tx.ZoomConnectionByZoomUser(ctx, user.ID); err == nil && other.PractitionerID != practitionerID {
			if err := a.seal(other, tok); err != nil {
				return err
			}
			other.AccountLabel, other.UpdatedAt = accountLabel(user), now
			if err := tx.PutZoomConnection(ctx, other); err != nil {
				return err
			}
			// The other binding's history says Zoom renewed its tokens; a
			// member of another studio is nobody it should name.
			renewedBy := ctx
			if other.WorkspaceID != wsID {
				renewedBy = daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorSystem, Label: "zoom"})
			}
			if err := a.audit(renewedBy, tx, other.WorkspaceID, "zoom.tokens_renewed", "practitioner", other.PractitionerID, map[string]string{"account": other.AccountLabel}); err != nil {
				return err
			}
			if err := a.audit(ctx, tx, wsID, "zoom.connect_refused", "practitioner", practitionerID, map[string]string{"reason": "zoom_user_already_bound"}); err != nil {
				return err
			}
			bound = daoyue.Errorf(daoyue.EZOOMBOUND, "error.zoom_user_bound_elsewhere").With("account", other.AccountLabel)
			if op, err := tx.Practitioner(ctx, other.WorkspaceID, other.PractitionerID); err == nil && other.WorkspaceID == wsID {
				bound = daoyue.Errorf(daoyue.EZOOMBOUND, "error.zoom_user_bound").With("account", other.AccountLabel).With("practitioner", op.Name)
			}
			return nil
		} else if err != nil && !daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return err
		}
		c, err := tx.ZoomConnection(ctx, wsID, practitionerID)
		switch {
		case err == nil && c.ZoomUserID != user.ID:
			// The practitioner switches to another Zoom account: the old
			// account's tokens are revoked after the commit.
			old := *c
			replaced = &old
			c.ZoomUserID = user.ID
		case daoyue.IsCode(err, daoyue.ENOTFOUND):
			c = &daoyue.ZoomConnection{ID: daoyue.NewID("zc"), WorkspaceID: wsID, PractitionerID: practitionerID,
				ZoomUserID: user.ID, CreatedAt: now, IsDefault: p.DefaultOnConnect}
		case err != nil:
			return err
		}
		c.ZoomAccountID, c.AccountLabel, c.UpdatedAt = user.AccountID, accountLabel(user), now
		if p.DefaultOnConnect {
			c.IsDefault = true
		}
		if err := a.seal(c, tok); err != nil {
			return err
		}
		if err := tx.PutZoomConnection(ctx, c); err != nil {
			return err
		}
		if err := a.audit(ctx, tx, wsID, "zoom.connected", "practitioner", practitionerID, map[string]string{"account": c.AccountLabel, "default": boolWord(c.IsDefault)}); err != nil {
			return err
		}
		if err := a.resyncHost(ctx, tx, wsID, practitionerID); err != nil {
			return err
		}
		out = &Connected{Workspace: ws, Practitioner: p, Status: ZoomStatusOf(c)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if replaced != nil {
		a.revokeSealed(ctx, replaced)
	}
	if bound != nil {
		return nil, bound
	}
	return out, nil
}

// SetZoomDefault makes Zoom the practitioner's default online meeting tool
// (設為預設); confirmed online bookings it hosts then get meetings.
func (a *App) SetZoomDefault(ctx context.Context, slug, practitionerID string) (ZoomStatus, error) {
	var st ZoomStatus
	err := a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if err := requireTends(m, practitionerID); err != nil {
			return err
		}
		if _, err := tx.Practitioner(ctx, ws.ID, practitionerID); err != nil {
			return err
		}
		c, err := tx.ZoomConnection(ctx, ws.ID, practitionerID)
		if err == nil {
			// Again, held: a token refresh committing meanwhile would
			// otherwise be written back with the old, spent tokens.
			c, err = tx.ZoomConnectionByID(ctx, c.ID)
		}
		if daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return daoyue.Errorf(daoyue.ETRANSITION, "error.zoom_not_connected")
		} else if err != nil {
			return err
		}
		c.IsDefault, c.UpdatedAt = true, a.now()
		if err := tx.PutZoomConnection(ctx, c); err != nil {
			return err
		}
		st = ZoomStatusOf(c)
		if err := a.audit(ctx, tx, ws.ID, "zoom.set_default", "practitioner", practitionerID, nil); err != nil {
			return err
		}
		return a.resyncHost(ctx, tx, ws.ID, practitionerID)
	})
	return st, err
}

// DisconnectZoom (解除連結) revokes the practitioner's tokens at Zoom and
// deletes them. Existing bookings keep their meeting details; later syncs
// for them report that Zoom is disconnected.
func (a *App) DisconnectZoom(ctx context.Context, slug, practitionerID string) error {
	var c *daoyue.ZoomConnection
	err := a.memberView(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if err := requireTends(m, practitionerID); err != nil {
			return err
		}
		if _, err := tx.Practitioner(ctx, ws.ID, practitionerID); err != nil {
			return err
		}
		var err error
		c, err = tx.ZoomConnection(ctx, ws.ID, practitionerID)
		if daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return daoyue.Errorf(daoyue.ETRANSITION, "error.zoom_not_connected")
		}
		return err
	})
	if err != nil {
		return err
	}
	revoked := a.revokeSealed(ctx, c)
	defer a.scrub(ctx)
	return a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, _ *daoyue.Member) error {
		if err := tx.DeleteZoomConnection(ctx, c.ID); err != nil && !daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return err
		}
		return a.audit(ctx, tx, ws.ID, "zoom.disconnected", "practitioner", practitionerID,
			map[string]string{"account": c.AccountLabel, "revoked_at_zoom": boolWord(revoked)})
	})
}

// revokeSealed asks Zoom to revoke a connection's refresh token (which
// revokes its access token too). It reports success; failure is logged
// without the token, and the caller deletes the tokens anyway.
func (a *App) revokeSealed(ctx context.Context, c *daoyue.ZoomConnection) bool {
	if c.RefreshSealed == "" {
		return false
	}
	rt, err := a.Zoom.Keys.Decrypt(c.RefreshSealed, tokenContext(c.ID, "refresh"))
	if err != nil {
		a.Log.Warn("cannot open refresh token for revocation", slog.String("connection", c.ID), slog.Any("error", err))
		return false
	}
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := a.Zoom.Client.Revoke(rctx, string(rt)); err != nil {
		a.Log.Warn("zoom revoke failed", slog.String("connection", c.ID), slog.Any("error", err))
		return false
	}
	return true
}

// ZoomDeauthorized handles Zoom's app_deauthorized event (the app was
// removed in the Marketplace): the user's tokens are deleted at once and the
// Zoom data held for that user is purged: ids, account label, and the
// meeting ID, join URL and passcode of the bookings that user hosts. The
// bookings stay. Retries of one event (same key) are handled once.
func (a *App) ZoomDeauthorized(ctx context.Context, eventKey, zoomUserID string) error {
	ctx = daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorSystem, Label: "zoom-marketplace"})
	defer a.scrub(ctx)
	return a.Store.Update(ctx, func(tx daoyue.Tx) error {
		fresh, err := tx.MarkWebhookEvent(ctx, eventKey, a.now())
		if err != nil || !fresh {
			return err
		}
		c, err := tx.ZoomConnectionByZoomUser(ctx, zoomUserID)
		if err == nil {
			if err := tx.DeleteZoomConnection(ctx, c.ID); err != nil {
				return err
			}
			if err := a.audit(ctx, tx, c.WorkspaceID, "zoom.deauthorized", "practitioner", c.PractitionerID, nil); err != nil {
				return err
			}
		} else if !daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return err
		}
		bs, err := tx.BookingsByMeetingZoomUser(ctx, zoomUserID)
		if err != nil {
			return err
		}
		for _, b := range bs {
			if err := a.purgeMail(ctx, tx, b); err != nil {
				return err
			}
			b.Meeting = daoyue.Meeting{Version: b.Meeting.Version, SyncedVersion: b.Meeting.Version, UpdatedAt: ptr(a.now())}
			b.Meeting.Set(daoyue.MeetingPurged, daoyue.ReasonZoomRemoved)
			if err := a.meetingSettled(ctx, tx, b, ""); err != nil { // a confirmation held for the sync goes now
				return err
			}
			if err := tx.UpdateBooking(ctx, b); err != nil {
				return err
			}
			if err := a.audit(ctx, tx, b.WorkspaceID, "meeting.purged", "booking", b.ID, nil); err != nil {
				return err
			}
		}
		return nil
	})
}

func ptr[T any](v T) *T { return &v }

// AbandonZoom handles a callback where the member chose Deny (or Zoom sent
// an error): the state is used up, and the answer says where to go back to.
func (a *App) AbandonZoom(ctx context.Context, state string) (*Connected, error) {
	var out Connected
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
		st, err := tx.TakeOAuthState(ctx, daoyue.HashToken(state), a.now())
		if err != nil || st.Kind != "connect" {
			return daoyue.Errorf(daoyue.EINVALID, "error.zoom_state")
		}
		if out.Workspace, err = tx.WorkspaceByID(ctx, st.WorkspaceID); err != nil {
			return err
		}
		if out.Practitioner, err = tx.Practitioner(ctx, st.WorkspaceID, st.PractitionerID); err != nil {
			return err
		}
		c, err := tx.ZoomConnection(ctx, st.WorkspaceID, st.PractitionerID)
		if err == nil {
			out.Status = ZoomStatusOf(c)
		} else {
			out.Status = ZoomStatusOf(nil)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ReencryptTokens seals every stored Zoom token under the keyring's newest
// key (after a new key is put first in DAOYUE_SECRET_KEYS), so the old key
// can then be removed. It returns how many connections it rewrote. Pending
// OAuth states are not rewritten: they expire within 10 minutes.
func (a *App) ReencryptTokens(ctx context.Context) (int, error) {
	if err := a.zoomReady(); err != nil {
		return 0, err
	}
	var ids []string
	if err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		ids, err = tx.AllZoomConnectionIDs(ctx)
		return err
	}); err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
			c, err := tx.ZoomConnectionByID(ctx, id)
			if err != nil {
				return err
			}
			acc, ch1, err := a.Zoom.Keys.Reencrypt(c.AccessSealed, tokenContext(c.ID, "access"))
			if err != nil {
				return fmt.Errorf("connection %s access token: %w", id, err)
			}
			ref, ch2, err := a.Zoom.Keys.Reencrypt(c.RefreshSealed, tokenContext(c.ID, "refresh"))
			if err != nil {
				return fmt.Errorf("connection %s refresh token: %w", id, err)
			}
			if !ch1 && !ch2 {
				return nil
			}
			c.AccessSealed, c.RefreshSealed = acc, ref
			n++
			return tx.PutZoomConnection(ctx, c)
		})
		if err != nil && !daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return n, err
		}
	}
	return n, nil
}

// scrubber is a store that can make erased data unrecoverable from its
// files (SQLite keeps old page copies in its write-ahead log).
type scrubber interface{ Scrub(context.Context) error }

// scrub runs after tokens or Zoom data are erased; failure is logged, the
// erasure itself has already happened.
func (a *App) scrub(ctx context.Context) {
	if s, ok := a.Store.(scrubber); ok {
		if err := s.Scrub(context.WithoutCancel(ctx)); err != nil {
			a.Log.Warn("scrub after erasing zoom data", slog.Any("error", err))
		}
	}
}
