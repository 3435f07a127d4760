package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"golang.org/x/crypto/bcrypt"

	"github.com/daoyue/daoyue"
)

// Two-factor sign-in with an authenticator app (TOTP, RFC 6238) and ten
// one-time recovery codes. A member turns it on from the account page; an
// owner can require it of the studio's members. After the password, a
// sign-in of such a member is a challenge (five minutes, single use) that a
// current code or a recovery code completes; each code works once.

const (
	accountLoginChallenge = "login_2fa"
	loginChallengeTTL     = 5 * time.Minute
	totpPeriod            = 30
	recoveryCodeCount     = 10
)

// secondFactorTries bounds the codes tried against one account.
var secondFactorTries = daoyue.Throttle{Free: 5, Base: 2 * time.Second, Max: 15 * time.Minute, Quiet: 15 * time.Minute}

// SecondFactorNeeded is Login's answer when the password was right and the
// account uses two-factor sign-in: Challenge goes with the code to
// CompleteSignIn.
type SecondFactorNeeded struct{ Challenge string }

func (*SecondFactorNeeded) Error() string { return "a second factor is needed" }

func totpContext(userID string) string { return "users/" + userID + "/totp" }

// TwoFactorSetup is a secret being set up: shown once as a QR code and as
// text for typing in.
type TwoFactorSetup struct {
	Secret string
	URL    string // otpauth://
	QRPNG  []byte
}

// BeginTwoFactor makes a new secret for the signed-in user, kept pending
// until ConfirmTwoFactor proves the authenticator app has it.
func (a *App) BeginTwoFactor(ctx context.Context) (*TwoFactorSetup, error) {
	u, err := a.signedInUser(ctx)
	if err != nil {
		return nil, err
	}
	if a.keyring() == nil {
		return nil, daoyue.Errorf(daoyue.EINTERNAL, "error.internal")
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "DaoYue", AccountName: u.Email, Period: totpPeriod, Digits: otp.DigitsSix})
	if err != nil {
		return nil, err
	}
	sealed, err := a.keyring().Encrypt([]byte(key.Secret()), totpContext(u.ID))
	if err != nil {
		return nil, err
	}
	err = a.Store.Update(ctx, func(tx daoyue.Tx) error {
		cur, err := tx.UserByID(ctx, u.ID)
		if err != nil {
			return err
		}
		cur.TOTPPendingSealed = sealed
		return tx.UpdateUser(ctx, cur)
	})
	if err != nil {
		return nil, err
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return &TwoFactorSetup{Secret: key.Secret(), URL: key.URL(), QRPNG: buf.Bytes()}, nil
}

// ConfirmTwoFactor turns two-factor sign-in on once a code from the pending
// secret checks out, and returns the recovery codes (shown once).
func (a *App) ConfirmTwoFactor(ctx context.Context, code string) ([]string, error) {
	u, err := a.signedInUser(ctx)
	if err != nil {
		return nil, err
	}
	var codes []string
	err = a.Store.Update(ctx, func(tx daoyue.Tx) error {
		cur, err := tx.UserByID(ctx, u.ID)
		if err != nil {
			return err
		}
		if cur.TOTPPendingSealed == "" {
			return daoyue.FieldErrors{"code": "error.totp_no_setup"}.Err()
		}
		step, ok := a.checkTOTP(cur.ID, cur.TOTPPendingSealed, code, 0)
		if !ok {
			return daoyue.FieldErrors{"code": "error.totp_wrong"}.Err()
		}
		cur.TOTPSealed, cur.TOTPPendingSealed, cur.TOTPLastStep = cur.TOTPPendingSealed, "", step
		if err := tx.UpdateUser(ctx, cur); err != nil {
			return err
		}
		codes, err = a.newRecoveryCodes(ctx, tx, cur.ID)
		return err
	})
	return codes, err
}

// DisableTwoFactor turns two-factor sign-in off after the password and a
// current code (or a recovery code); refused while a studio of the user's
// requires it.
func (a *App) DisableTwoFactor(ctx context.Context, password, code string) error {
	u, err := a.signedInUser(ctx)
	if err != nil {
		return err
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		return daoyue.FieldErrors{"current_password": "error.password_wrong"}.Err()
	}
	return a.Store.Update(ctx, func(tx daoyue.Tx) error {
		cur, err := tx.UserByID(ctx, u.ID)
		if err != nil {
			return err
		}
		if !cur.TwoFactor() {
			return nil
		}
		wss, err := tx.WorkspacesOf(ctx, cur.ID)
		if err != nil {
			return err
		}
		for _, ws := range wss {
			if req, err := tx.TwoFactorRequired(ctx, ws.ID); err != nil {
				return err
			} else if req {
				return daoyue.Errorf(daoyue.ETRANSITION, "error.totp_required_by").With("studio", ws.Name)
			}
		}
		if ok, err := a.secondFactorOK(ctx, tx, cur, code); err != nil {
			return err
		} else if !ok {
			return daoyue.FieldErrors{"code": "error.totp_wrong"}.Err()
		}
		cur.TOTPSealed, cur.TOTPPendingSealed, cur.TOTPLastStep = "", "", 0
		if err := tx.UpdateUser(ctx, cur); err != nil {
			return err
		}
		return tx.ReplaceRecoveryCodes(ctx, cur.ID, nil)
	})
}

// TwoFactorStatus is the account page's view of two-factor sign-in.
type TwoFactorStatus struct {
	On            bool
	RecoveryCodes int // left
}

// TwoFactorOf returns the signed-in user's two-factor state.
func (a *App) TwoFactorOf(ctx context.Context) (TwoFactorStatus, error) {
	u, err := a.signedInUser(ctx)
	if err != nil {
		return TwoFactorStatus{}, err
	}
	st := TwoFactorStatus{On: u.TwoFactor()}
	err = a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		st.RecoveryCodes, err = tx.CountRecoveryCodes(ctx, u.ID)
		return err
	})
	return st, err
}

// secondFactorChallenge stores a sign-in waiting for its second factor.
func (a *App) secondFactorChallenge(ctx context.Context, tx daoyue.Tx, userID string) (string, error) {
	token := daoyue.NewToken()
	now := a.now()
	err := tx.CreateAccountToken(ctx, &daoyue.AccountToken{Hash: daoyue.HashToken(token), Purpose: accountLoginChallenge,
		UserID: userID, CreatedAt: now, ExpiresAt: now.Add(loginChallengeTTL)})
	return token, err
}

// CompleteSignIn finishes a sign-in that needed a second factor: a current
// authenticator code or an unused recovery code. The challenge works once
// it succeeds; wrong codes are counted against the account.
func (a *App) CompleteSignIn(ctx context.Context, challenge, code, kind string) (string, time.Time, error) {
	var token string
	var expires time.Time
	var wait time.Duration
	wrong := false
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
		ch, err := tx.AccountToken(ctx, daoyue.HashToken(challenge), accountLoginChallenge, a.now())
		if err != nil {
			return daoyue.Errorf(daoyue.EUNAUTHENTICATED, "error.totp_challenge_gone")
		}
		if wait, err = tx.HitThrottle(ctx, "2fa:"+ch.UserID, secondFactorTries, a.now()); err != nil || wait > 0 {
			return err
		}
		u, err := tx.UserByID(ctx, ch.UserID)
		if err != nil {
			return err
		}
		ok, err := a.secondFactorOK(ctx, tx, u, code)
		if err != nil {
			return err
		}
		if !ok {
			wrong = true
			return nil // the attempt stays counted
		}
		if _, err := tx.TakeAccountToken(ctx, ch.Hash, ch.Purpose, a.now()); err != nil {
			return err
		}
		if err := tx.ClearThrottle(ctx, "2fa:"+u.ID); err != nil {
			return err
		}
		token, expires, err = a.newSession(ctx, tx, u.ID, kind)
		return err
	})
	switch {
	case err != nil:
		return "", time.Time{}, err
	case wait > 0:
		return "", time.Time{}, throttled(wait)
	case wrong:
		return "", time.Time{}, &daoyue.Error{Code: daoyue.EUNAUTHENTICATED, Key: "error.totp_wrong", Fields: map[string]string{"code": "error.totp_wrong"}}
	}
	return token, expires, nil
}

// secondFactorOK checks a code against u's authenticator (once per time
// step) or its recovery codes (once each), recording what it used.
func (a *App) secondFactorOK(ctx context.Context, tx daoyue.Tx, u *daoyue.User, code string) (bool, error) {
	code = strings.TrimSpace(code)
	if step, ok := a.checkTOTP(u.ID, u.TOTPSealed, code, u.TOTPLastStep); ok {
		return tx.UseTOTPStep(ctx, u.ID, step)
	}
	norm := strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(code, "-", ""), " ", ""))
	if len(norm) != 10 {
		return false, nil
	}
	return tx.UseRecoveryCode(ctx, u.ID, daoyue.HashToken(norm))
}

// checkTOTP reports whether code is the authenticator's code of this time
// step or one next to it (clocks drift), and later than after; it returns
// the step it matched.
func (a *App) checkTOTP(userID, sealed, code string, after int64) (int64, bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if sealed == "" || len(code) != 6 || a.keyring() == nil {
		return 0, false
	}
	secret, err := a.keyring().Decrypt(sealed, totpContext(userID))
	if err != nil {
		a.Log.Warn("an authenticator secret does not open (key removed?)")
		return 0, false
	}
	now := a.Now()
	for _, skew := range []int64{0, -1, 1} {
		step := now.Unix()/totpPeriod + skew
		want, err := totp.GenerateCodeCustom(string(secret), time.Unix(step*totpPeriod, 0),
			totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err == nil && want == code && step > after {
			return step, true
		}
	}
	return 0, false
}

// newRecoveryCodes replaces the user's recovery codes with ten new ones
// ("xxxxx-xxxxx") and returns them; only their hashes are stored.
func (a *App) newRecoveryCodes(ctx context.Context, tx daoyue.Tx, userID string) ([]string, error) {
	enc := base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)
	codes := make([]string, recoveryCodeCount)
	hashes := make([]string, recoveryCodeCount)
	for i := range codes {
		b := make([]byte, 7)
		_, _ = rand.Read(b)
		c := enc.EncodeToString(b)[:10]
		codes[i] = fmt.Sprintf("%s-%s", c[:5], c[5:])
		hashes[i] = daoyue.HashToken(c)
	}
	return codes, tx.ReplaceRecoveryCodes(ctx, userID, hashes)
}

// signedInUser is the user behind ctx's member actor.
func (a *App) signedInUser(ctx context.Context) (*daoyue.User, error) {
	actor := daoyue.ActorFrom(ctx)
	if actor.Kind != daoyue.ActorMember {
		return nil, daoyue.ErrUnauthorized
	}
	var u *daoyue.User
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		u, err = tx.UserByID(ctx, actor.UserID)
		return err
	})
	return u, err
}

// RequireTwoFactor sets whether the workspace's members must sign in with a
// second factor (owners only; an owner without it cannot require it).
func (a *App) RequireTwoFactor(ctx context.Context, slug string, required bool) error {
	return a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if m.Role != daoyue.RoleOwner {
			return daoyue.ErrForbidden
		}
		if required {
			u, err := tx.UserByID(ctx, m.UserID)
			if err != nil {
				return err
			}
			if !u.TwoFactor() {
				return daoyue.Errorf(daoyue.ETRANSITION, "error.totp_owner_first")
			}
		}
		if err := tx.SetTwoFactorRequired(ctx, ws.ID, required); err != nil {
			return err
		}
		return a.audit(ctx, tx, ws.ID, "workspace.two_factor", "workspace", ws.ID, map[string]string{"required": fmt.Sprint(required)})
	})
}

// TwoFactorRequired reports whether the workspace requires it.
func (a *App) TwoFactorRequired(ctx context.Context, slug string) (bool, error) {
	var req bool
	err := a.memberView(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, _ *daoyue.Member) error {
		var err error
		req, err = tx.TwoFactorRequired(ctx, ws.ID)
		return err
	})
	return req, err
}

// ReencryptSecrets seals every authenticator secret and every open
// invitation's link secret under the keyring's newest key (part of
// `daoyue keys reencrypt`), so older keys can be removed without locking
// anyone out of two-factor sign-in.
func (a *App) ReencryptSecrets(ctx context.Context) (int, error) {
	k := a.keyring()
	if k == nil {
		return 0, nil
	}
	n := 0
	for after := ""; ; {
		var us []*daoyue.User
		if err := a.Store.View(ctx, func(tx daoyue.Tx) error {
			var err error
			us, err = tx.UsersWithSealedSecrets(ctx, after, 200)
			return err
		}); err != nil {
			return n, err
		}
		if len(us) == 0 {
			break
		}
		for _, u := range us {
			after = u.ID
			changed := false
			for _, f := range []*string{&u.TOTPSealed, &u.TOTPPendingSealed} {
				if *f == "" {
					continue
				}
				out, ch, err := k.Reencrypt(*f, totpContext(u.ID))
				if err != nil {
					return n, fmt.Errorf("user %s two-factor secret: %w", u.ID, err)
				}
				*f, changed = out, changed || ch
			}
			if !changed {
				continue
			}
			if err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
				cur, err := tx.UserByID(ctx, u.ID)
				if err != nil {
					return err
				}
				cur.TOTPSealed, cur.TOTPPendingSealed = u.TOTPSealed, u.TOTPPendingSealed
				return tx.UpdateUser(ctx, cur)
			}); err != nil {
				return n, err
			}
			n++
		}
	}
	for after := ""; ; {
		var is []*daoyue.Invitation
		if err := a.Store.View(ctx, func(tx daoyue.Tx) error {
			var err error
			is, err = tx.OpenInvitations(ctx, after, 200)
			return err
		}); err != nil {
			return n, err
		}
		if len(is) == 0 {
			return n, nil
		}
		for _, inv := range is {
			after = inv.ID
			out, ch, err := k.Reencrypt(inv.TokenSealed, invitationTokenContext(inv.ID))
			if err != nil {
				return n, fmt.Errorf("invitation %s: %w", inv.ID, err)
			}
			if !ch {
				continue
			}
			inv.TokenSealed = out
			if err := a.Store.Update(ctx, func(tx daoyue.Tx) error { return tx.UpdateInvitation(ctx, inv) }); err != nil {
				return n, err
			}
			n++
		}
	}
}
