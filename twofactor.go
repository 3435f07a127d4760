package daoyue

import "context"

// TwoFactorStore keeps what two-factor sign-in needs besides the user's
// sealed secret: one-time recovery codes (hashed) and each workspace's
// rule that its members must use it.
type TwoFactorStore interface {
	// ReplaceRecoveryCodes stores the hashes of a user's new recovery
	// codes, dropping the old ones.
	ReplaceRecoveryCodes(ctx context.Context, userID string, hashes []string) error
	// UseRecoveryCode deletes the code with that hash and reports whether
	// there was one: a code works once.
	UseRecoveryCode(ctx context.Context, userID, hash string) (bool, error)
	CountRecoveryCodes(ctx context.Context, userID string) (int, error)
	// UsersWithSealedSecrets lists users (after id `after`, by id) whose
	// two-factor secret is sealed, for re-encryption under a new key.
	UsersWithSealedSecrets(ctx context.Context, after string, limit int) ([]*User, error)
	// OpenInvitations lists the invitations (any workspace) neither accepted
	// nor revoked, after id `after`, by id.
	OpenInvitations(ctx context.Context, after string, limit int) ([]*Invitation, error)
	// TwoFactorRequired reports whether the workspace requires its
	// members to sign in with a second factor.
	TwoFactorRequired(ctx context.Context, workspaceID string) (bool, error)
	SetTwoFactorRequired(ctx context.Context, workspaceID string, required bool) error
}
