package store

import (
	"context"
	"time"

	"github.com/daoyue/daoyue"
)

// OAuth states: the flows under way.

// oauthStateRow is the stored row of s: its columns in the order
// TakeOAuthState scans them, with their values.
func oauthStateRow(s *daoyue.OAuthState) []column {
	return []column{
		{"hash", s.Hash}, {"kind", s.Kind}, {"workspace_id", s.WorkspaceID}, {"practitioner_id", s.PractitionerID},
		{"user_id", s.UserID}, {"payload_sealed", s.PayloadSealed}, {"expires_at", unix(s.ExpiresAt)},
		{"created_at", unix(s.CreatedAt)},
	}
}

var oauthStateCols = columnNames(oauthStateRow(&daoyue.OAuthState{}), "")

// CreateOAuthState stores s (a hash already stored is ECONFLICT) and
// deletes the states that have expired by s.CreatedAt. The sweep lives here
// rather than in TakeOAuthState because a failed take usually rolls back.
func (t *tx) CreateOAuthState(ctx context.Context, s *daoyue.OAuthState) error {
	if _, err := t.exec(ctx, "delete expired oauth states",
		`DELETE FROM oauth_states WHERE expires_at <= $1`, unix(s.CreatedAt)); err != nil {
		return err
	}
	q, args := insert("oauth_states", oauthStateRow(s))
	_, err := t.exec(ctx, "create oauth state", q, args...)
	return err
}

// TakeOAuthState deletes the state with that hash and returns it, in one
// DELETE … RETURNING, so that of two takes at once only one gets it. An
// expired state (expires_at <= now) is deleted too but is ENOTFOUND, like a
// missing or used one.
func (t *tx) TakeOAuthState(ctx context.Context, hash string, now time.Time) (*daoyue.OAuthState, error) {
	var s daoyue.OAuthState
	var expires, created int64
	err := t.tx.QueryRowContext(ctx, `DELETE FROM oauth_states WHERE hash = $1 RETURNING `+oauthStateCols, hash).
		Scan(&s.Hash, &s.Kind, &s.WorkspaceID, &s.PractitionerID, &s.UserID, &s.PayloadSealed, &expires, &created)
	if err != nil {
		return nil, t.db.wrap("take oauth state", err)
	}
	if expires <= unix(now) {
		return nil, daoyue.ErrNotFound
	}
	s.ExpiresAt, s.CreatedAt = fromUnix(expires), fromUnix(created)
	return &s, nil
}
