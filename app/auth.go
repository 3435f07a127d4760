package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/daoyue/daoyue"
)

// Session and API token lifetimes.
const (
	SessionTTL  = 14 * 24 * time.Hour
	APITokenTTL = 30 * 24 * time.Hour
)

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 10

// HashPassword returns the bcrypt hash of a password.
func HashPassword(pw string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	return string(h), err
}

// dummyHash lets a sign-in for an unknown email cost as much as one for a
// known email, so timing does not tell which addresses have accounts.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("daoyue-dummy-password"), bcrypt.DefaultCost)

// Sign-in throttling: every attempt is counted in the database before its
// password is checked, under two keys, so parallel guesses are counted one
// by one and every instance counts the same attempts:
//   - the email with the address it comes from: 5 attempts, then growing
//     delays (1 s, 2 s, 4 s … up to 15 minutes); a success clears it. Only
//     guesses from that address slow down: nobody else can lock the
//     account's owner out.
//   - the address alone, successes included: 30 attempts, then growing
//     delays, which bounds the bcrypt work one address can ask for.
var (
	loginPerEmail = daoyue.Throttle{Free: 5, Base: time.Second, Max: 15 * time.Minute, Quiet: 15 * time.Minute}
	loginPerAddr  = daoyue.Throttle{Free: 30, Base: time.Second, Max: 15 * time.Minute, Quiet: 15 * time.Minute}
)

func loginKeys(email, addr string) (perEmail, perAddr string) {
	sum := sha256.Sum256([]byte(email + "\x00" + addr))
	return "login:" + hex.EncodeToString(sum[:16]), "login-addr:" + addr
}

// Login checks an email and password from the client address addr and
// returns a new bearer token (kind "session" for the browser, "api" for the
// JSON API) and its expiry. Attempts beyond the throttle are refused
// (ERATELIMIT) before the password is looked at. An account with
// two-factor sign-in gets *SecondFactorNeeded instead of a token.
func (a *App) Login(ctx context.Context, email, password, kind, addr string) (string, time.Time, error) {
	email = daoyue.NormalizeEmail(email)
	now := a.now()
	perEmail, perAddr := loginKeys(email, addr)
	var user *daoyue.User
	var wait time.Duration
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
		var err error
		for _, k := range []struct {
			key string
			p   daoyue.Throttle
		}{{perAddr, loginPerAddr}, {perEmail, loginPerEmail}} {
			if wait, err = tx.HitThrottle(ctx, k.key, k.p, now); err != nil || wait > 0 {
				return err
			}
		}
		user, err = tx.UserByEmail(ctx, email)
		if daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return nil
		}
		return err
	})
	if err != nil {
		return "", time.Time{}, err
	}
	a.sweepThrottles(ctx, now)
	if wait > 0 {
		return "", time.Time{}, throttled(wait)
	}
	hash := dummyHash
	if user != nil {
		hash = []byte(user.PasswordHash)
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil || user == nil {
		return "", time.Time{}, daoyue.Errorf(daoyue.EUNAUTHENTICATED, "error.login_failed")
	}
	var token, challenge string
	var expires time.Time
	err = a.Store.Update(ctx, func(tx daoyue.Tx) error {
		if err := tx.ClearThrottle(ctx, perEmail); err != nil {
			return err
		}
		var err error
		if user.TwoFactor() {
			challenge, err = a.secondFactorChallenge(ctx, tx, user.ID)
			return err
		}
		token, expires, err = a.newSession(ctx, tx, user.ID, kind)
		return err
	})
	if err != nil {
		return "", time.Time{}, err
	}
	if challenge != "" {
		return "", time.Time{}, &SecondFactorNeeded{Challenge: challenge}
	}
	return token, expires, nil
}

// throttled is the refusal of an attempt that must wait.
func throttled(wait time.Duration) error {
	if wait < time.Minute {
		return daoyue.Errorf(daoyue.ERATELIMIT, "error.login_wait_seconds").With("seconds", int((wait+time.Second-1)/time.Second)).WithRetryAfter(wait)
	}
	return daoyue.Errorf(daoyue.ERATELIMIT, "error.login_throttled").With("minutes", int(wait.Minutes())+1).WithRetryAfter(wait)
}

// sweepThrottles forgets quiet sign-in counters now and then, so the table
// holds only the keys of the last hour.
func (a *App) sweepThrottles(ctx context.Context, now time.Time) {
	if a.loginCount.Add(1)%256 != 0 {
		return
	}
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error { return tx.DeleteStaleThrottles(ctx, now.Add(-time.Hour), now) })
	if err != nil {
		a.Log.Warn("forgetting old sign-in counters failed", "error", err)
	}
}

// ForgetStale deletes what is kept only to hold back abuse once it no
// longer matters: throttle counters (keyed by client addresses and
// hashed emails) quiet for an hour with their waits over, and expired My
// bookings links and sessions. The sweep runs it every few minutes, so an
// address leaves the database about two hours after its last attempt, as
// the privacy policy says.
func (a *App) ForgetStale(ctx context.Context) error {
	now := a.now()
	return a.Store.Update(ctx, func(tx daoyue.Tx) error {
		if err := tx.DeleteStaleThrottles(ctx, now.Add(-time.Hour), now); err != nil {
			return err
		}
		return tx.DeleteStaleClientTokens(ctx, now)
	})
}

// newSession stores a new bearer token of kind "session" (the browser) or
// "api" for the user and returns it with its expiry.
func (a *App) newSession(ctx context.Context, tx daoyue.Tx, userID, kind string) (string, time.Time, error) {
	now := a.now()
	ttl := SessionTTL
	if kind == "api" {
		ttl = APITokenTTL
	} else {
		kind = "session"
	}
	token := daoyue.NewToken()
	t := &daoyue.AuthToken{Hash: daoyue.HashToken(token), UserID: userID, Kind: kind, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := tx.CreateAuthToken(ctx, t); err != nil {
		return "", time.Time{}, err
	}
	return token, t.ExpiresAt, nil
}

// Logout revokes a token.
func (a *App) Logout(ctx context.Context, token string) error {
	return a.Store.Update(ctx, func(tx daoyue.Tx) error { return tx.DeleteAuthToken(ctx, daoyue.HashToken(token)) })
}

// SessionIdle ends a browser session left unused this long (besides its
// absolute SessionTTL).
const SessionIdle = 48 * time.Hour

// touchEvery bounds how often a token's last use is written.
const touchEvery = time.Minute

// Authenticate returns the user behind a live token of the kind its
// transport carries: "session" for the browser's cookie, "api" for a
// bearer token, so one never works as the other. A session idle for
// SessionIdle has ended. The token's last use (time and client address) is
// recorded at most once a minute.
func (a *App) Authenticate(ctx context.Context, token, kind, addr string) (*daoyue.User, error) {
	var u *daoyue.User
	var t *daoyue.AuthToken
	now := a.now()
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		t, err = tx.AuthToken(ctx, daoyue.HashToken(token), now)
		if err != nil || t.Kind != kind {
			return daoyue.ErrUnauthorized
		}
		if kind == "session" && now.Sub(lastUse(t)) >= SessionIdle {
			return daoyue.ErrUnauthorized
		}
		u, err = tx.UserByID(ctx, t.UserID)
		return err
	})
	if err != nil {
		return nil, err
	}
	if now.Sub(t.LastUsedAt) >= touchEvery || (addr != "" && addr != t.LastUsedFrom) {
		if err := a.Store.Update(ctx, func(tx daoyue.Tx) error { return tx.TouchAuthToken(ctx, t.Hash, now, addr) }); err != nil {
			a.Log.Warn("recording a token's use failed", "error", err)
		}
	}
	return u, nil
}

func lastUse(t *daoyue.AuthToken) time.Time {
	if t.LastUsedAt.After(t.CreatedAt) {
		return t.LastUsedAt
	}
	return t.CreatedAt
}

// Credential is one of the signed-in user's sessions or API tokens, as the
// account page lists it.
type Credential struct {
	*daoyue.AuthToken
	Current bool // the one this request uses
}

// Credentials lists the signed-in user's live sessions and API tokens.
func (a *App) Credentials(ctx context.Context, current string) ([]Credential, error) {
	u, err := a.signedInUser(ctx)
	if err != nil {
		return nil, err
	}
	var out []Credential
	err = a.Store.View(ctx, func(tx daoyue.Tx) error {
		ts, err := tx.ListAuthTokens(ctx, u.ID, a.now())
		for _, t := range ts {
			if t.Kind == "session" && a.now().Sub(lastUse(t)) >= SessionIdle {
				continue
			}
			out = append(out, Credential{AuthToken: t, Current: t.Hash == daoyue.HashToken(current)})
		}
		return err
	})
	return out, err
}

// RevokeCredential ends one of the signed-in user's sessions or tokens.
func (a *App) RevokeCredential(ctx context.Context, id string) error {
	u, err := a.signedInUser(ctx)
	if err != nil {
		return err
	}
	return a.Store.Update(ctx, func(tx daoyue.Tx) error { return tx.DeleteUserAuthToken(ctx, u.ID, id) })
}

// SignOutEverywhere ends every session and API token of the signed-in
// user, this one included.
func (a *App) SignOutEverywhere(ctx context.Context) error {
	u, err := a.signedInUser(ctx)
	if err != nil {
		return err
	}
	return a.Store.Update(ctx, func(tx daoyue.Tx) error { return tx.DeleteUserAuthTokens(ctx, u.ID, "") })
}

// CreateAPIToken makes a named API token for the signed-in user and
// returns it (shown once).
func (a *App) CreateAPIToken(ctx context.Context, name string) (string, time.Time, error) {
	u, err := a.signedInUser(ctx)
	if err != nil {
		return "", time.Time{}, err
	}
	name = strings.TrimSpace(name)
	f := daoyue.FieldErrors{}
	daoyue.CheckLine(f, "token_name", name, 1, 60)
	if err := f.Err(); err != nil {
		return "", time.Time{}, err
	}
	var token string
	var expires time.Time
	err = a.Store.Update(ctx, func(tx daoyue.Tx) error {
		now := a.now()
		token = daoyue.NewToken()
		t := &daoyue.AuthToken{Hash: daoyue.HashToken(token), UserID: u.ID, Kind: "api", Name: name, CreatedAt: now, ExpiresAt: now.Add(APITokenTTL)}
		expires = t.ExpiresAt
		return tx.CreateAuthToken(ctx, t)
	})
	return token, expires, err
}

// MyWorkspaces lists the workspaces of the signed-in member.
func (a *App) MyWorkspaces(ctx context.Context) ([]*daoyue.Workspace, error) {
	actor := daoyue.ActorFrom(ctx)
	if actor.Kind != daoyue.ActorMember {
		return nil, daoyue.ErrUnauthorized
	}
	var out []*daoyue.Workspace
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		out, err = tx.WorkspacesOf(ctx, actor.UserID)
		return err
	})
	return out, err
}
