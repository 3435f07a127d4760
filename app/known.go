package app

import (
	"context"

	"github.com/daoyue/daoyue"
)

// known is what a transaction has read already of a booking's studio,
// service and practitioner, carried in the context down to what the
// booking's save sets in motion (its email, its reminders), which would
// otherwise read each again: three reads fewer while a new booking holds
// SQLite's writer.
type known struct {
	ws   *daoyue.Workspace
	svc  *daoyue.Service
	prac *daoyue.Practitioner
}

type knownKey struct{}

// withKnown notes rows read in the transaction that ctx is used in; use
// it only within that transaction.
func withKnown(ctx context.Context, ws *daoyue.Workspace, svc *daoyue.Service, p *daoyue.Practitioner) context.Context {
	return context.WithValue(ctx, knownKey{}, &known{ws: ws, svc: svc, prac: p})
}

func knownOf(ctx context.Context) *known {
	k, _ := ctx.Value(knownKey{}).(*known)
	if k == nil {
		return &known{}
	}
	return k
}

func workspaceOf(ctx context.Context, tx daoyue.Tx, id string) (*daoyue.Workspace, error) {
	if ws := knownOf(ctx).ws; ws != nil && ws.ID == id {
		return ws, nil
	}
	return tx.WorkspaceByID(ctx, id)
}

func serviceOf(ctx context.Context, tx daoyue.Tx, wsID, id string) (*daoyue.Service, error) {
	if s := knownOf(ctx).svc; s != nil && s.WorkspaceID == wsID && s.ID == id {
		return s, nil
	}
	return tx.Service(ctx, wsID, id)
}
