package daoyue

import (
	"context"
	"time"
)

// ActorKind says who did something.
type ActorKind string

const (
	ActorMember ActorKind = "member"
	ActorClient ActorKind = "client"
	ActorSystem ActorKind = "system"
)

// Actor is the identity behind a request or job.
type Actor struct {
	Kind   ActorKind
	UserID string // for members
	Label  string // email of a member, name of a client, job name of the system
}

type actorKey struct{}

// WithActor returns ctx carrying the actor.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx; the system when there is none.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Kind: ActorSystem, Label: "system"}
}

// AuditEntry records one state change: who, when, what. Details must never
// hold a secret (token, passcode, join URL).
type AuditEntry struct {
	ID          string
	WorkspaceID string
	At          time.Time
	Actor       Actor
	Action      string // e.g. booking.accepted
	ObjectType  string // booking, service, practitioner, member, workspace
	ObjectID    string
	Details     map[string]string
}
