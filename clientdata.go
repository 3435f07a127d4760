package daoyue

import (
	"context"
	"time"
)

// The client's data rights (Taiwan's Personal Data Protection Act): a
// studio can hand a client everything it holds about them, and erase it;
// an owner can export the studio's data and delete the studio.

// ErasedName replaces an erased client's name; the email and phone become
// empty, the note too. Times, services and prices stay: the studio's
// books need them, and they say nothing about who the client was.
const ErasedName = "—"

// DataStore reads and erases a client's data and manages a studio's end.
type DataStore interface {
	// BookingsOfClient lists the workspace's bookings of one client email,
	// oldest first.
	BookingsOfClient(ctx context.Context, workspaceID, email string) ([]*Booking, error)
	// OutboxToRecipient lists the workspace's messages to one address.
	OutboxToRecipient(ctx context.Context, workspaceID, email string) ([]*OutboxMessage, error)
	// EraseClientActor replaces the client's name where the booking's
	// history names the client as who acted.
	EraseClientActor(ctx context.Context, workspaceID, bookingID string) error
	// EraseOutboxMessage empties a message's recipient, subject and bodies.
	EraseOutboxMessage(ctx context.Context, workspaceID, id string) error
	// AllBookings lists every booking of the workspace, oldest first.
	AllBookings(ctx context.Context, workspaceID string) ([]*Booking, error)
	// MarkWorkspaceDeleted hides a workspace until it is purged.
	MarkWorkspaceDeleted(ctx context.Context, workspaceID string, at time.Time) error
	// WorkspacesDeletedBefore lists workspaces marked deleted before t.
	WorkspacesDeletedBefore(ctx context.Context, t time.Time) ([]string, error)
	// PurgeWorkspace deletes a workspace and everything of it.
	PurgeWorkspace(ctx context.Context, workspaceID string) error
}
