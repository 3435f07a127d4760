package daoyue

import (
	"context"
	"time"
)

// Invitation asks a person, by email, to join a workspace with a role. Only
// the person who can read that mailbox can accept it: the link carries a
// single-use secret (only its hash is stored, the secret itself sealed for
// the email job), and a person without an account sets their own password
// on accepting. Nobody chooses a password for somebody else, so what one
// studio does can never open another studio's backend.
type Invitation struct {
	ID          string
	WorkspaceID string
	Email       string
	Role        Role
	// PractitionerID is the practitioner a practitioner member is linked to.
	PractitionerID string
	// TokenHash finds the invitation from its link; TokenSealed is the
	// secret encrypted for the email job. A resend replaces both, so the
	// older link stops working.
	TokenHash   string
	TokenSealed string
	// MessageID is the outbox message that carries the current link.
	MessageID  string
	InvitedBy  string // user id
	CreatedAt  time.Time
	ExpiresAt  time.Time
	AcceptedAt *time.Time
	RevokedAt  *time.Time
}

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 7 * 24 * time.Hour

// InvitationState is where an invitation stands.
type InvitationState string

const (
	InvitationPending  InvitationState = "pending"
	InvitationAccepted InvitationState = "accepted"
	InvitationRevoked  InvitationState = "revoked"
	InvitationExpired  InvitationState = "expired"
)

// State says where the invitation stands at now.
func (i *Invitation) State(now time.Time) InvitationState {
	switch {
	case i.AcceptedAt != nil:
		return InvitationAccepted
	case i.RevokedAt != nil:
		return InvitationRevoked
	case !now.Before(i.ExpiresAt):
		return InvitationExpired
	}
	return InvitationPending
}

// MailInvitation is the email that carries an invitation's link.
const MailInvitation MailKind = "invitation"

// InvitationStore keeps invitations. In a write transaction its reads of
// one invitation hold it until the transaction ends (as BookingStore's
// reads for a change do): an acceptance and a revocation take turns, and
// neither writes back the other's end.
type InvitationStore interface {
	CreateInvitation(ctx context.Context, i *Invitation) error
	// UpdateInvitation stores the token, message, expiry and end of i.
	UpdateInvitation(ctx context.Context, i *Invitation) error
	Invitation(ctx context.Context, workspaceID, id string) (*Invitation, error)
	InvitationByTokenHash(ctx context.Context, tokenHash string) (*Invitation, error)
	// InvitationByMessage finds the invitation whose current link the
	// outbox message carries (ENOTFOUND once a resend replaced it).
	InvitationByMessage(ctx context.Context, workspaceID, messageID string) (*Invitation, error)
	// ListInvitations lists the workspace's invitations neither accepted
	// nor revoked, newest first.
	ListInvitations(ctx context.Context, workspaceID string) ([]*Invitation, error)
}
