package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/notify"
)

// My bookings (我的預約): a client enters their email on a studio's page,
// receives a single-use link, and sees every booking they made there with
// that address — with the public online instructions only, never a
// meeting's private details.

// Limits of link requests, per address and per email at the studio, so the
// form cannot flood a mailbox.
var (
	myLinkPerAddr  = daoyue.Throttle{Free: 10, Base: time.Minute, Max: time.Hour, Quiet: time.Hour}
	myLinkPerEmail = daoyue.Throttle{Free: 3, Base: 5 * time.Minute, Max: time.Hour, Quiet: time.Hour}
)

func clientTokenContext(hash string) string { return "client_tokens/" + hash }

// RequestMyBookings sends a My bookings link for slug to email when that
// address has bookings there. The answer is the same either way (and both
// ways write), so it does not tell who booked at the studio.
func (a *App) RequestMyBookings(ctx context.Context, slug, email, addr, lang string) error {
	email = daoyue.NormalizeEmail(email)
	if !daoyue.ValidEmail(email) {
		return daoyue.FieldErrors{"email": "error.email"}.Err()
	}
	now := a.now()
	var wait time.Duration
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
		ws, err := tx.WorkspaceBySlug(ctx, slug)
		if err != nil {
			return err
		}
		sum := sha256.Sum256([]byte(ws.ID + "\x00" + email))
		for _, k := range []struct {
			key string
			p   daoyue.Throttle
		}{{"my-addr:" + addr, myLinkPerAddr}, {"my-email:" + hex.EncodeToString(sum[:16]), myLinkPerEmail}} {
			if wait, err = tx.HitThrottle(ctx, k.key, k.p, now); err != nil || wait > 0 {
				return err
			}
		}
		// Each request also forgets expired links and sessions (indexed by expiry).
		if err := tx.DeleteStaleClientTokens(ctx, now); err != nil {
			return err
		}
		bs, err := tx.ClientBookings(ctx, ws.ID, email, 1)
		if err != nil || len(bs) == 0 {
			return err
		}
		k := a.keyring()
		if k == nil || !a.Sending() {
			a.Log.Warn("a My bookings link was requested but no email can be sent (DAOYUE_SMTP_URL unset)")
			return nil
		}
		token := daoyue.NewToken()
		t := &daoyue.ClientToken{Hash: daoyue.HashToken(token), Kind: daoyue.ClientLink, WorkspaceID: ws.ID, Email: email,
			CreatedAt: now, ExpiresAt: now.Add(daoyue.ClientLinkTTL)}
		sealed, err := k.Encrypt([]byte(token), clientTokenContext(t.Hash))
		if err != nil {
			return err
		}
		if err := tx.CreateClientToken(ctx, t); err != nil {
			return err
		}
		return tx.Enqueue(ctx, daoyue.AccountMailJob{Purpose: daoyue.AccountClientLink, WorkspaceID: ws.ID, Email: email,
			Language: lang, TokenHash: t.Hash, TokenSealed: sealed})
	})
	if err != nil {
		return err
	}
	if wait > 0 {
		return daoyue.Errorf(daoyue.ERATELIMIT, "error.my_link_throttled").WithRetryAfter(wait)
	}
	return nil
}

// deliverClientLink sends a My bookings link, unless it was used or expired.
func (a *App) deliverClientLink(ctx context.Context, j daoyue.AccountMailJob) error {
	var ws *daoyue.Workspace
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		if _, err := tx.ClientToken(ctx, j.TokenHash, daoyue.ClientLink, a.now()); err != nil {
			return err
		}
		var err error
		ws, err = tx.WorkspaceByID(ctx, j.WorkspaceID)
		return err
	})
	if send, err := a.stillToSend(err); !send {
		return err
	}
	msg := notify.ComposeClientLink(notify.ClientLinkInput{Language: j.Language, BaseURL: a.Mail.BaseURL, Studio: ws.Name, Slug: ws.Slug})
	return a.sendLink(ctx, j, clientTokenContext(j.TokenHash), msg,
		&notify.Email{MessageID: "my-" + j.TokenHash[:16] + "@daoyue", FromName: ws.Name, ReplyTo: ws.ContactEmail, To: j.Email})
}

// OpenMyBookings uses a link (once) and returns a session for the cookie.
func (a *App) OpenMyBookings(ctx context.Context, slug, link string) (session string, err error) {
	err = a.Store.Update(ctx, func(tx daoyue.Tx) error {
		ws, err := tx.WorkspaceBySlug(ctx, slug)
		if err != nil {
			return err
		}
		t, err := tx.TakeClientToken(ctx, daoyue.HashToken(link), daoyue.ClientLink, a.now())
		if err != nil || t.WorkspaceID != ws.ID {
			// Another studio's link is refused and, the transaction rolled
			// back, still works at its own studio.
			return daoyue.Errorf(daoyue.ENOTFOUND, "error.my_link_gone")
		}
		session = daoyue.NewToken()
		return tx.CreateClientToken(ctx, &daoyue.ClientToken{Hash: daoyue.HashToken(session), Kind: daoyue.ClientSession,
			WorkspaceID: ws.ID, Email: t.Email, CreatedAt: a.now(), ExpiresAt: a.now().Add(daoyue.ClientSessionTTL)})
	})
	return session, err
}

// MyBooking is one line of My bookings: what the client may see of the
// booking, and its manage link's secret for the actions it allows.
type MyBooking struct {
	Booking      daoyue.ClientBooking
	Service      *daoyue.Service
	Practitioner *daoyue.Practitioner
	ManageToken  string // "" when the booking has no sealed link
}

// MyBookingsView is a client's bookings at one studio.
type MyBookingsView struct {
	Workspace *daoyue.Workspace
	Email     string
	Upcoming  []MyBooking // not ended, still on (pending, awaiting payment, confirmed)
	Past      []MyBooking // confirmed and over, newest first
	Ended     []MyBooking // declined, cancelled or expired, newest first
}

// MyBookings lists the bookings of the session's email at slug. A session
// unknown, expired or of another studio is EUNAUTHENTICATED.
func (a *App) MyBookings(ctx context.Context, slug, session string) (*MyBookingsView, error) {
	var v *MyBookingsView
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		ws, err := tx.WorkspaceBySlug(ctx, slug)
		if err != nil {
			return err
		}
		t, err := tx.ClientToken(ctx, daoyue.HashToken(session), daoyue.ClientSession, a.now())
		if session == "" || err != nil || t.WorkspaceID != ws.ID {
			return daoyue.ErrUnauthorized
		}
		bs, err := tx.ClientBookings(ctx, ws.ID, t.Email, 500)
		if err != nil {
			return err
		}
		svcs, pracs, err := catalogue(ctx, tx, ws.ID)
		if err != nil {
			return err
		}
		v = &MyBookingsView{Workspace: ws, Email: t.Email}
		now := a.now()
		for _, b := range bs {
			m := MyBooking{Booking: b.ForClient(), Service: svcs[b.ServiceID], Practitioner: pracs[b.PractitionerID]}
			if k := a.keyring(); k != nil && b.ManageTokenSealed != "" {
				if raw, err := k.Decrypt(b.ManageTokenSealed, manageTokenContext(b.ID)); err == nil {
					m.ManageToken = string(raw)
				}
			}
			switch {
			case b.Status.Final():
				v.Ended = append([]MyBooking{m}, v.Ended...)
			case now.Before(b.End):
				v.Upcoming = append(v.Upcoming, m)
			default:
				v.Past = append([]MyBooking{m}, v.Past...)
			}
		}
		return nil
	})
	return v, err
}

// SignOutMyBookings ends a My bookings session.
func (a *App) SignOutMyBookings(ctx context.Context, session string) error {
	return a.Store.Update(ctx, func(tx daoyue.Tx) error {
		_, err := tx.TakeClientToken(ctx, daoyue.HashToken(session), daoyue.ClientSession, a.now())
		if daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return nil
		}
		return err
	})
}
