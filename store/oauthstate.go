package store

import (
	"context"
	"time"

	"github.com/daoyue/daoyue"
)

// OAuth states: the flows under way.

const oauthStateCols = `hash, kind, workspace_id, practitioner_id, user_id, payload_sealed, expires_at, created_at`

// CreateOAuthState stores s (a hash already stored is ECONFLICT) and
// deletes the states that have expired by s.CreatedAt. The sweep lives here
// rather than in TakeOAuthState because a failed take usually rolls back.
func (t *tx) CreateOAuthState(ctx context.Context, s *daoyue.OAuthState) error {
	if _, err := t.exec(ctx, "delete expired oauth states",
		`DELETE FROM oauth_states WHERE expires_at <= $1`, unix(s.CreatedAt)); err != nil {
		return err
	}
	_, err := t.exec(ctx, "create oauth state",
		`INSERT INTO oauth_states (`+oauthStateCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		s.Hash, s.Kind, s.WorkspaceID, s.PractitionerID, s.UserID, s.PayloadSealed, unix(s.ExpiresAt), unix(s.CreatedAt))
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
