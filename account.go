package daoyue

import (
	"context"
	"time"
)

// AccountToken is a single-use link sent to a person's own mailbox about
// their account (a password reset). Only its hash is stored; the secret
// travels sealed in the email job.
type AccountToken struct {
	Hash      string
	Purpose   string // AccountPasswordReset
	UserID    string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Account token purposes and lifetimes.
const (
	AccountPasswordReset = "password_reset"
	PasswordResetTTL     = time.Hour
)

// AccountMailJob sends an account email (a password reset link) to a
// user; the link's secret is sealed (secret.Keyring, context
// "account_tokens/{hash}").
type AccountMailJob struct {
	Purpose string
	UserID  string
	// WorkspaceID and Email address a client's My bookings link
	// (AccountClientLink), which has no user.
	WorkspaceID string
	Email       string
	Language    string
	TokenHash   string
	TokenSealed string
}

// JobKind names the job.
func (AccountMailJob) JobKind() string { return "account_mail" }

// AccountTokenStore keeps account tokens.
type AccountTokenStore interface {
	CreateAccountToken(ctx context.Context, t *AccountToken) error
	// AccountToken returns the live token with that hash and purpose
	// (ENOTFOUND when used, expired or unknown).
	AccountToken(ctx context.Context, hash, purpose string, now time.Time) (*AccountToken, error)
	// TakeAccountToken deletes and returns the live token: it works once.
	TakeAccountToken(ctx context.Context, hash, purpose string, now time.Time) (*AccountToken, error)
	// DeleteAccountTokens removes every token of the user for purpose.
	DeleteAccountTokens(ctx context.Context, userID, purpose string) error
}

// Account email purposes that are not account tokens: a sign-up's
// verification link (the token is the pending sign-up's) and the note sent
// instead when the address already has an account.
const (
	AccountSignupVerify = "signup_verify"
	AccountSignupExists = "signup_exists"
	SignupTTL           = 24 * time.Hour
)

// Signup is a studio sign-up waiting for its email to be verified. Nothing
// else exists until the link is used: verification creates the user, the
// studio, the owner membership and a first practitioner at once. Only the
// hash of the link's secret is stored; the secret travels sealed in the
// email job.
type Signup struct {
	Hash         string
	Email        string
	PasswordHash string // bcrypt
	Name         string // the person's name
	StudioName   string
	Slug         string
	TimeZone     string
	Language     string
	CreatedAt    time.Time
	ExpiresAt    time.Time
}

// SignupStore keeps pending sign-ups.
type SignupStore interface {
	CreateSignup(ctx context.Context, s *Signup) error
	// Signup returns the live sign-up with that hash (ENOTFOUND when used,
	// expired or unknown).
	Signup(ctx context.Context, hash string, now time.Time) (*Signup, error)
	// TakeSignup deletes and returns the live sign-up: it works once.
	TakeSignup(ctx context.Context, hash string, now time.Time) (*Signup, error)
	// DeleteExpiredSignups removes sign-ups whose link expired before now.
	DeleteExpiredSignups(ctx context.Context, now time.Time) error
}
