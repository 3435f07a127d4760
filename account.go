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
	Purpose     string
	UserID      string
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
