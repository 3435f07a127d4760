package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/notify"
)

// Sign-up: a person asks for a studio with their email, a password, the
// studio's name, slug and time zone. Nothing is created then: the form's
// answer is always "check your email", and the email carries a single-use
// link that expires (daoyue.SignupTTL). Using it creates the account, the
// studio, the owner membership and a first practitioner in one
// transaction and signs the person in. An address that already has an
// account gets an email saying so (sign in, or reset the password) instead
// of a link, and the form answers exactly as for a new address. So a
// script can neither learn who has an account nor create a studio that can
// take bookings without reading the mailbox it names.

// Limits of sign-up requests: per client address and per email, counted in
// the database before anything else is done.
var (
	signupPerAddr  = daoyue.Throttle{Free: 5, Base: 5 * time.Minute, Max: time.Hour, Quiet: time.Hour}
	signupPerEmail = daoyue.Throttle{Free: 3, Base: 5 * time.Minute, Max: time.Hour, Quiet: time.Hour}
)

func signupTokenContext(hash string) string { return "signups/" + hash }

// SignupInput is the sign-up form.
type SignupInput struct {
	Email      string
	Password   string
	Name       string // the person's name ("" takes the email's local part)
	StudioName string
	Slug       string
	TimeZone   string
	Language   string
	Addr       string // the client address, for the limit per address
}

// validate checks the form the way verification will create it.
func (in *SignupInput) validate() error {
	in.Email = daoyue.NormalizeEmail(in.Email)
	in.Name, in.StudioName = strings.TrimSpace(in.Name), strings.TrimSpace(in.StudioName)
	in.Slug = strings.ToLower(strings.TrimSpace(in.Slug))
	in.TimeZone = strings.TrimSpace(in.TimeZone)
	if in.TimeZone == "" {
		in.TimeZone = daoyue.DefaultTimeZone
	}
	f := daoyue.FieldErrors{}
	if !daoyue.ValidEmail(in.Email) {
		f.Add("email", "error.email")
	}
	if err := checkPassword(in.Password, in.Email); err != nil {
		f.Add("password", err.(*daoyue.Error).Fields["password"])
	}
	if in.Name == "" && daoyue.ValidEmail(in.Email) {
		in.Name = in.Email[:strings.Index(in.Email, "@")]
	}
	daoyue.CheckLine(f, "your_name", in.Name, 1, 100)
	ws := daoyue.Workspace{Slug: in.Slug, Name: in.StudioName, TimeZone: in.TimeZone}
	if err := ws.Validate(); err != nil {
		for k, v := range err.(*daoyue.Error).Fields {
			f.Add(k, v)
		}
	}
	return f.Err()
}

// RequestSignup records a pending sign-up and emails its verification
// link; an address with an account is emailed a note instead. The answer
// (nil) is the same either way. A slug that is taken already is refused on
// the form (every studio's page is public, so that tells nothing new).
// Too many requests from one address or for one email are ERATELIMIT.
func (a *App) RequestSignup(ctx context.Context, in SignupInput) error {
	if err := in.validate(); err != nil {
		return err
	}
	k := a.keyring()
	if k == nil || !a.Sending() {
		return daoyue.Errorf(daoyue.EUNAVAILABLE, "error.signup_closed")
	}
	// Counted first, in a transaction of its own, so a refused request
	// costs no password hashing.
	sum := sha256.Sum256([]byte(in.Email))
	now := a.now()
	var wait time.Duration
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
		var err error
		for _, l := range []struct {
			key string
			p   daoyue.Throttle
		}{{"signup-addr:" + in.Addr, signupPerAddr}, {"signup-email:" + hex.EncodeToString(sum[:16]), signupPerEmail}} {
			if wait, err = tx.HitThrottle(ctx, l.key, l.p, now); err != nil || wait > 0 {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if wait > 0 {
		return daoyue.Errorf(daoyue.ERATELIMIT, "error.signup_throttled").WithRetryAfter(wait)
	}
	// The password is hashed for a known address too, so both cost the same.
	hash, err := HashPassword(in.Password)
	if err != nil {
		return err
	}
	return a.Store.Update(ctx, func(tx daoyue.Tx) error {
		if _, err := tx.WorkspaceBySlug(ctx, in.Slug); err == nil {
			return daoyue.FieldErrors{"slug": "error.slug_taken"}.Err()
		} else if !daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return err
		}
		if err := tx.DeleteExpiredSignups(ctx, now); err != nil {
			return err
		}
		u, err := tx.UserByEmail(ctx, in.Email)
		if err == nil {
			return tx.Enqueue(ctx, daoyue.AccountMailJob{Purpose: daoyue.AccountSignupExists, UserID: u.ID, Language: in.Language})
		} else if !daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return err
		}
		token := daoyue.NewToken()
		s := &daoyue.Signup{Hash: daoyue.HashToken(token), Email: in.Email, PasswordHash: hash, Name: in.Name,
			StudioName: in.StudioName, Slug: in.Slug, TimeZone: in.TimeZone, Language: daoyue.NormalizeLanguage(in.Language),
			CreatedAt: now, ExpiresAt: now.Add(daoyue.SignupTTL)}
		sealed, err := k.Encrypt([]byte(token), signupTokenContext(s.Hash))
		if err != nil {
			return err
		}
		if err := tx.CreateSignup(ctx, s); err != nil {
			return err
		}
		return tx.Enqueue(ctx, daoyue.AccountMailJob{Purpose: daoyue.AccountSignupVerify, Language: in.Language,
			TokenHash: s.Hash, TokenSealed: sealed})
	})
}

// deliverSignupMail sends a sign-up's verification link, or the note to an
// address that has an account. A link used or expired is not sent.
func (a *App) deliverSignupMail(ctx context.Context, j daoyue.AccountMailJob) error {
	var to, name string
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		if j.Purpose == daoyue.AccountSignupExists {
			u, err := tx.UserByID(ctx, j.UserID)
			if err != nil {
				return err
			}
			to, name = u.Email, u.Name
			return nil
		}
		s, err := tx.Signup(ctx, j.TokenHash, a.now())
		if err != nil {
			return err
		}
		to, name = s.Email, s.Name
		return nil
	})
	if send, err := a.stillToSend(err); !send {
		return err
	}
	in := notify.AccountInput{Language: j.Language, BaseURL: a.Mail.BaseURL, Name: name}
	if j.Purpose == daoyue.AccountSignupExists {
		msg := notify.ComposeSignupExists(in)
		return a.Mail.Sender.Send(ctx, &notify.Email{MessageID: "acct-" + daoyue.NewID("se") + "@daoyue", To: to,
			Subject: msg.Subject, Text: msg.Text, HTML: msg.HTML})
	}
	return a.sendLink(ctx, j, signupTokenContext(j.TokenHash), notify.ComposeSignupVerify(in),
		&notify.Email{MessageID: "acct-" + j.TokenHash[:16] + "@daoyue", To: to})
}

// OpenSignup returns the pending sign-up behind a live link, and whether
// its slug is still free.
func (a *App) OpenSignup(ctx context.Context, token string) (*daoyue.Signup, bool, error) {
	var s *daoyue.Signup
	free := false
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		if s, err = tx.Signup(ctx, daoyue.HashToken(token), a.now()); err != nil {
			return daoyue.Errorf(daoyue.ENOTFOUND, "error.signup_gone")
		}
		_, err = tx.WorkspaceBySlug(ctx, s.Slug)
		free = daoyue.IsCode(err, daoyue.ENOTFOUND)
		if err != nil && !free {
			return err
		}
		return nil
	})
	return s, free, err
}

// VerifySignup uses a sign-up link (once): it creates the account, the
// studio (at slug when given, for a slug taken since the sign-up), its
// owner membership and a first practitioner named after the person, and
// signs them in. A slug taken meanwhile is a field error and leaves the
// link usable.
func (a *App) VerifySignup(ctx context.Context, token, slug string) (*Acceptance, error) {
	out := &Acceptance{}
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
		now := a.now()
		s, err := tx.TakeSignup(ctx, daoyue.HashToken(token), now)
		if err != nil {
			return daoyue.Errorf(daoyue.ENOTFOUND, "error.signup_gone")
		}
		if _, err := tx.UserByEmail(ctx, s.Email); err == nil {
			return daoyue.Errorf(daoyue.ECONFLICT, "error.signup_account_exists")
		} else if !daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return err
		}
		ws := &daoyue.Workspace{ID: daoyue.NewID("ws"), Slug: s.Slug, Name: s.StudioName, TimeZone: s.TimeZone, CreatedAt: now}
		if slug = strings.ToLower(strings.TrimSpace(slug)); slug != "" {
			ws.Slug = slug
		}
		if err := ws.Validate(); err != nil {
			return err
		}
		if _, err := tx.WorkspaceBySlug(ctx, ws.Slug); err == nil {
			return daoyue.FieldErrors{"slug": "error.slug_taken"}.Err()
		} else if !daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return err
		}
		if err := tx.CreateWorkspace(ctx, ws); err != nil {
			if daoyue.IsCode(err, daoyue.ECONFLICT) {
				return daoyue.FieldErrors{"slug": "error.slug_taken"}.Err()
			}
			return err
		}
		u := &daoyue.User{ID: daoyue.NewID("us"), Email: s.Email, Name: s.Name, PasswordHash: s.PasswordHash, CreatedAt: now}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		ctx := daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorMember, UserID: u.ID, Label: u.Email})
		if err := a.audit(ctx, tx, ws.ID, "workspace.signed_up", "workspace", ws.ID, map[string]string{"slug": ws.Slug, "email": u.Email}); err != nil {
			return err
		}
		if err := a.putMember(ctx, tx, ws, u, daoyue.RoleOwner); err != nil {
			return err
		}
		p := &daoyue.Practitioner{ID: daoyue.NewID("pr"), WorkspaceID: ws.ID, Name: u.Name, Email: u.Email, Active: true, CreatedAt: now}
		if err := tx.CreatePractitioner(ctx, p); err != nil {
			return err
		}
		out.Workspace = ws
		out.SessionToken, out.ExpiresAt, err = a.newSession(ctx, tx, u.ID, "session")
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
