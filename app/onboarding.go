package app

import (
	"context"

	"github.com/daoyue/daoyue"
)

// Onboarding is the checklist a new studio's owners and admins see on the
// first page of the backend until every item is done.
type Onboarding struct {
	Hours   bool // a practitioner has weekly hours
	Service bool // the studio offers a service
	Zoom    bool // a practitioner has Zoom connected and set as default
	Shared  bool // the booking link brought the first booking
	// PractitionerID is the first practitioner, where hours and Zoom are set.
	PractitionerID string
}

// Done reports whether every item is done.
func (o *Onboarding) Done() bool { return o.Hours && o.Service && o.Zoom && o.Shared }

// Onboarding computes the checklist of the workspace in one read; it is
// nil for staff, who set nothing up.
func (a *App) Onboarding(ctx context.Context, slug string) (*Onboarding, error) {
	var out *Onboarding
	err := a.memberView(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if !m.Role.CanManage() {
			return nil
		}
		o := &Onboarding{}
		ps, err := tx.ListPractitioners(ctx, ws.ID)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if o.PractitionerID == "" {
				o.PractitionerID = p.ID
			}
			o.Hours = o.Hours || (p.Active && len(p.Weekly) > 0)
		}
		svcs, err := tx.ListServices(ctx, ws.ID)
		if err != nil {
			return err
		}
		o.Service = len(svcs) > 0
		conns, err := tx.ListZoomConnections(ctx, ws.ID)
		if err != nil {
			return err
		}
		for _, c := range conns {
			o.Zoom = o.Zoom || (c.Status == daoyue.ConnConnected && c.IsDefault)
		}
		counts, err := tx.CountBookings(ctx, ws.ID, "", a.now())
		if err != nil {
			return err
		}
		for _, n := range counts {
			o.Shared = o.Shared || n > 0
		}
		out = o
		return nil
	})
	return out, err
}
