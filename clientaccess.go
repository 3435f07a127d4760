package daoyue

import (
	"context"
	"time"
)

// ClientToken opens a client's My bookings (我的預約) at one studio: all
// the bookings made there with one email address. A "link" token is sent
// to that address and works once, briefly; opening it makes a "session"
// token kept in a cookie. Only hashes are stored.
type ClientToken struct {
	Hash        string
	Kind        string // ClientLink or ClientSession
	WorkspaceID string
	Email       string // normalized
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

// Client token kinds and lifetimes.
const (
	ClientLink       = "link"
	ClientSession    = "session"
	ClientLinkTTL    = 30 * time.Minute
	ClientSessionTTL = 24 * time.Hour
)

// AccountClientLink is the account email purpose of a My bookings link
// (AccountMailJob with WorkspaceID and Email).
const AccountClientLink = "client_link"

// ClientTokenStore keeps client tokens.
type ClientTokenStore interface {
	CreateClientToken(ctx context.Context, t *ClientToken) error
	// ClientToken returns the live token (ENOTFOUND when used, expired or unknown).
	ClientToken(ctx context.Context, hash, kind string, now time.Time) (*ClientToken, error)
	// TakeClientToken deletes and returns the live token: it works once.
	TakeClientToken(ctx context.Context, hash, kind string, now time.Time) (*ClientToken, error)
	// DeleteStaleClientTokens removes tokens expired before now.
	DeleteStaleClientTokens(ctx context.Context, now time.Time) error
	// ClientBookings lists a studio's bookings made with email, soonest
	// first, at most limit.
	ClientBookings(ctx context.Context, workspaceID, email string, limit int) ([]*Booking, error)
}
