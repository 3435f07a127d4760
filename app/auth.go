package app

import (
	"context"
	"sync"
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

// Login checks an email and password and returns a new bearer token (kind
// "session" for the browser, "api" for the JSON API) and its expiry.
// Repeated failures for one email are refused for a while (ERATELIMIT).
func (a *App) Login(ctx context.Context, email, password, kind string) (string, time.Time, error) {
	email = daoyue.NormalizeEmail(email)
	now := a.now()
	if wait := a.logins.blocked(email, now); wait > 0 {
		return "", time.Time{}, daoyue.Errorf(daoyue.ERATELIMIT, "error.login_throttled").With("minutes", int(wait.Minutes())+1)
	}
	var user *daoyue.User
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		user, err = tx.UserByEmail(ctx, email)
		return err
	})
	if err != nil && !daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return "", time.Time{}, err
	}
	hash := dummyHash
	if user != nil {
		hash = []byte(user.PasswordHash)
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil || user == nil {
		a.logins.fail(email, now)
		return "", time.Time{}, daoyue.Errorf(daoyue.EUNAUTHENTICATED, "error.login_failed")
	}
	a.logins.reset(email)
	var token string
	var expires time.Time
	err = a.Store.Update(ctx, func(tx daoyue.Tx) error {
		var err error
		token, expires, err = a.newSession(ctx, tx, user.ID, kind)
		return err
	})
	if err != nil {
		return "", time.Time{}, err
	}
	return token, expires, nil
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

// Authenticate returns the user behind a live token.
func (a *App) Authenticate(ctx context.Context, token string) (*daoyue.User, error) {
	var u *daoyue.User
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		t, err := tx.AuthToken(ctx, daoyue.HashToken(token), a.now())
		if err != nil {
			return daoyue.ErrUnauthorized
		}
		u, err = tx.UserByID(ctx, t.UserID)
		return err
	})
	return u, err
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

// loginThrottle counts recent failed sign-ins per email. It lives in memory:
// with several instances each slows on its own, which still bounds guessing
// to a few attempts per minute per instance.
type loginThrottle struct {
	mu       sync.Mutex
	failures map[string][]time.Time
}

const (
	throttleWindow = 15 * time.Minute
	throttleFree   = 5 // failures allowed in the window before sign-in is refused
)

func newLoginThrottle() *loginThrottle {
	return &loginThrottle{failures: map[string][]time.Time{}}
}

func (l *loginThrottle) recent(email string, now time.Time) []time.Time {
	var keep []time.Time
	for _, t := range l.failures[email] {
		if now.Sub(t) < throttleWindow {
			keep = append(keep, t)
		}
	}
	if len(keep) == 0 {
		delete(l.failures, email)
	} else {
		l.failures[email] = keep
	}
	return keep
}

// blocked returns how long the email must wait, or 0.
func (l *loginThrottle) blocked(email string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.recent(email, now)
	if len(f) < throttleFree {
		return 0
	}
	return throttleWindow - now.Sub(f[len(f)-throttleFree])
}

func (l *loginThrottle) fail(email string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failures[email] = append(l.recent(email, now), now)
}

func (l *loginThrottle) reset(email string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, email)
}
