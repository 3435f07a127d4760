package app

import (
	"bufio"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/notify"
)

// Passwords: at least MinPasswordLen characters, not one of the common
// passwords shipped with the binary, not the email; reset by a single-use
// emailed link; any change ends every other session and API token.

//go:embed commonpasswords.txt
var commonPasswordsFile string

var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsFile))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			m[l] = true
		}
	}
	return m
}()

// checkPassword refuses a password that is too short, longer than bcrypt
// reads (72 bytes), common, one character repeated, or the email itself.
func checkPassword(password string, email ...string) error {
	low := strings.ToLower(password)
	distinct := map[rune]bool{}
	for _, r := range low {
		distinct[r] = true
	}
	switch {
	case utf8.RuneCountInString(password) < MinPasswordLen:
		return daoyue.FieldErrors{"password": "error.password_short"}.Err()
	case len(password) > 72:
		return daoyue.FieldErrors{"password": "error.too_long"}.Err()
	case commonPasswords[low] || len(distinct) <= 2:
		return daoyue.FieldErrors{"password": "error.password_common"}.Err()
	}
	for _, e := range email {
		if e != "" && (low == strings.ToLower(e) || low == strings.ToLower(e[:max(strings.Index(e, "@"), 0)])) {
			return daoyue.FieldErrors{"password": "error.password_common"}.Err()
		}
	}
	return nil
}

// Limits of reset requests: per address and per email, so the form cannot
// be used to flood a mailbox.
var (
	resetPerAddr  = daoyue.Throttle{Free: 10, Base: time.Minute, Max: time.Hour, Quiet: time.Hour}
	resetPerEmail = daoyue.Throttle{Free: 3, Base: 5 * time.Minute, Max: time.Hour, Quiet: time.Hour}
)

func accountTokenContext(hash string) string { return "account_tokens/" + hash }

// RequestPasswordReset sends a reset link to email if it has an account.
// The answer is the same either way, and both ways do the same kind of
// work (a write transaction), so neither the answer nor its timing tells
// whether the address has an account. Too many requests are ERATELIMIT,
// for known and unknown addresses alike.
func (a *App) RequestPasswordReset(ctx context.Context, email, addr, lang string) error {
	email = daoyue.NormalizeEmail(email)
	if !daoyue.ValidEmail(email) {
		return daoyue.FieldErrors{"email": "error.email"}.Err()
	}
	sum := sha256.Sum256([]byte(email))
	now := a.now()
	var wait time.Duration
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
		var err error
		for _, k := range []struct {
			key string
			p   daoyue.Throttle
		}{{"reset-addr:" + addr, resetPerAddr}, {"reset-email:" + hex.EncodeToString(sum[:16]), resetPerEmail}} {
			if wait, err = tx.HitThrottle(ctx, k.key, k.p, now); err != nil || wait > 0 {
				return err
			}
		}
		u, err := tx.UserByEmail(ctx, email)
		if daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return nil
		} else if err != nil {
			return err
		}
		k := a.keyring()
		if k == nil || !a.Sending() {
			a.Log.Warn("password reset requested but no email can be sent (DAOYUE_SMTP_URL unset): use daoyue user reset-password")
			return nil
		}
		token := daoyue.NewToken()
		t := &daoyue.AccountToken{Hash: daoyue.HashToken(token), Purpose: daoyue.AccountPasswordReset, UserID: u.ID,
			CreatedAt: now, ExpiresAt: now.Add(daoyue.PasswordResetTTL)}
		sealed, err := k.Encrypt([]byte(token), accountTokenContext(t.Hash))
		if err != nil {
			return err
		}
		// One live link at a time: a new request replaces the older one.
		if err := tx.DeleteAccountTokens(ctx, u.ID, daoyue.AccountPasswordReset); err != nil {
			return err
		}
		if err := tx.CreateAccountToken(ctx, t); err != nil {
			return err
		}
		return tx.Enqueue(ctx, daoyue.AccountMailJob{Purpose: t.Purpose, UserID: u.ID, Language: lang, TokenHash: t.Hash, TokenSealed: sealed})
	})
	if err != nil {
		return err
	}
	if wait > 0 {
		return daoyue.Errorf(daoyue.ERATELIMIT, "error.reset_throttled").WithRetryAfter(wait)
	}
	return nil
}

// DeliverAccountMail sends an account email (a password reset, a sign-up's
// verification link or its note to an existing account); the job runner retries it
// while it returns an error. A link already used, replaced or expired is
// not sent.
func (a *App) DeliverAccountMail(ctx context.Context, j daoyue.AccountMailJob) error {
	switch j.Purpose {
	case daoyue.AccountSignupVerify, daoyue.AccountSignupExists:
		return a.deliverSignupMail(ctx, j)
	case daoyue.AccountClientLink:
		return a.deliverClientLink(ctx, j)
	}
	var u *daoyue.User
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		if _, err := tx.AccountToken(ctx, j.TokenHash, j.Purpose, a.now()); err != nil {
			return err
		}
		var err error
		u, err = tx.UserByID(ctx, j.UserID)
		return err
	})
	if send, err := a.stillToSend(err); !send {
		return err
	}
	msg := notify.ComposePasswordReset(notify.AccountInput{Language: j.Language, BaseURL: a.Mail.BaseURL, Name: u.Name})
	return a.sendLink(ctx, j, accountTokenContext(j.TokenHash), msg, &notify.Email{MessageID: "acct-" + j.TokenHash[:16] + "@daoyue", To: u.Email})
}

// stillToSend says whether an account message goes out, given the error
// of reading what it needs: nothing found (its link was used, replaced or
// expired; its account or studio is gone) sends nothing and is no failure,
// nor is mail being off.
func (a *App) stillToSend(readErr error) (bool, error) {
	if daoyue.IsCode(readErr, daoyue.ENOTFOUND) {
		return false, nil
	} else if readErr != nil {
		return false, readErr
	}
	return a.Sending(), nil
}

// sendLink sends msg, whose link carries daoyue.ManageTokenPlaceholder,
// with the job's sealed secret (opened under context) filled in: the
// secret exists in clear only in the message on its way out. e gives the
// envelope (id, sender's name, recipient, Reply-To).
func (a *App) sendLink(ctx context.Context, j daoyue.AccountMailJob, context string, msg *notify.Message, e *notify.Email) error {
	k := a.keyring()
	if k == nil {
		return nil
	}
	raw, err := k.Decrypt(j.TokenSealed, context)
	if err != nil {
		return err
	}
	e.Subject, e.Text, e.HTML = msg.Subject, notify.FillManageToken(msg.Text, string(raw)), notify.FillManageToken(msg.HTML, string(raw))
	return a.Mail.Sender.Send(ctx, e)
}

// OpenPasswordReset returns the email a live reset link is for.
func (a *App) OpenPasswordReset(ctx context.Context, token string) (string, error) {
	var email string
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		t, err := tx.AccountToken(ctx, daoyue.HashToken(token), daoyue.AccountPasswordReset, a.now())
		if err != nil {
			return daoyue.Errorf(daoyue.ENOTFOUND, "error.reset_gone")
		}
		u, err := tx.UserByID(ctx, t.UserID)
		if err != nil {
			return err
		}
		email = u.Email
		return nil
	})
	return email, err
}

// ResetPassword sets a new password through a reset link (once), ends every
// session and API token of the user, and signs them in with a new session.
func (a *App) ResetPasswordWithLink(ctx context.Context, token, password string) (*Acceptance, error) {
	out := &Acceptance{}
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
		t, err := tx.AccountToken(ctx, daoyue.HashToken(token), daoyue.AccountPasswordReset, a.now())
		if err != nil {
			return daoyue.Errorf(daoyue.ENOTFOUND, "error.reset_gone")
		}
		u, err := tx.UserByID(ctx, t.UserID)
		if err != nil {
			return err
		}
		if err := checkPassword(password, u.Email); err != nil {
			return err
		}
		if _, err := tx.TakeAccountToken(ctx, t.Hash, t.Purpose, a.now()); err != nil {
			return daoyue.Errorf(daoyue.ENOTFOUND, "error.reset_gone")
		}
		if err := a.setPassword(ctx, tx, u, password); err != nil {
			return err
		}
		out.SessionToken, out.ExpiresAt, err = a.newSession(ctx, tx, u.ID, "session")
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ChangePassword changes the signed-in user's password after checking the
// current one, and ends every other session and API token (the one in use,
// keepToken, stays).
func (a *App) ChangePassword(ctx context.Context, current, password, keepToken string) error {
	actor := daoyue.ActorFrom(ctx)
	if actor.Kind != daoyue.ActorMember {
		return daoyue.ErrUnauthorized
	}
	var u *daoyue.User
	if err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		u, err = tx.UserByID(ctx, actor.UserID)
		return err
	}); err != nil {
		return err
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(current)) != nil {
		return daoyue.FieldErrors{"current_password": "error.password_wrong"}.Err()
	}
	if err := checkPassword(password, u.Email); err != nil {
		return err
	}
	return a.Store.Update(ctx, func(tx daoyue.Tx) error {
		u, err := tx.UserByID(ctx, actor.UserID)
		if err != nil {
			return err
		}
		hash, err := HashPassword(password)
		if err != nil {
			return err
		}
		u.PasswordHash = hash
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if err := tx.DeleteAccountTokens(ctx, u.ID, daoyue.AccountPasswordReset); err != nil {
			return err
		}
		return tx.DeleteUserAuthTokens(ctx, u.ID, daoyue.HashToken(keepToken))
	})
}
