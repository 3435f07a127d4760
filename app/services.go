package app

import (
	"context"
	"strings"

	"github.com/daoyue/daoyue"
)

// Services lists the workspace's services, active or not.
func (a *App) Services(ctx context.Context, slug string) ([]*daoyue.Service, error) {
	var out []*daoyue.Service
	err := a.memberView(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, _ *daoyue.Member) error {
		var err error
		out, err = tx.ListServices(ctx, ws.ID)
		return err
	})
	return out, err
}

// Service returns one service of the workspace.
func (a *App) Service(ctx context.Context, slug, id string) (*daoyue.Service, error) {
	var out *daoyue.Service
	err := a.memberView(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, _ *daoyue.Member) error {
		var err error
		out, err = tx.Service(ctx, ws.ID, id)
		return err
	})
	return out, err
}

// checkService validates s and that the practitioners it names belong to ws.
func checkService(ctx context.Context, tx daoyue.Tx, ws *daoyue.Workspace, s *daoyue.Service) error {
	s.Name = strings.TrimSpace(s.Name)
	s.Price.Currency = strings.ToUpper(s.Price.Currency)
	if err := s.Validate(); err != nil {
		return err
	}
	f := daoyue.FieldErrors{}
	seen := map[string]bool{}
	for _, id := range s.PractitionerIDs {
		if _, err := tx.Practitioner(ctx, ws.ID, id); err != nil || seen[id] {
			f.Add("practitioner_ids", "error.practitioner_not_found")
		}
		seen[id] = true
	}
	if s.MeetingHost == daoyue.HostDesignated {
		if _, err := tx.Practitioner(ctx, ws.ID, s.DesignatedHostID); err != nil {
			f.Add("designated_host_id", "error.practitioner_not_found")
		}
	} else {
		s.DesignatedHostID = ""
	}
	return f.Err()
}

// CreateService adds a service (owners and admins).
func (a *App) CreateService(ctx context.Context, slug string, s *daoyue.Service) error {
	return a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if err := requireManager(m); err != nil {
			return err
		}
		if err := checkService(ctx, tx, ws, s); err != nil {
			return err
		}
		s.ID, s.WorkspaceID, s.CreatedAt = daoyue.NewID("sv"), ws.ID, a.now()
		if err := tx.CreateService(ctx, s); err != nil {
			return err
		}
		return a.audit(ctx, tx, ws.ID, "service.created", "service", s.ID, map[string]string{"name": s.Name})
	})
}

// UpdateService replaces a service's settings. Existing bookings keep the
// duration, buffers and price they were made with.
func (a *App) UpdateService(ctx context.Context, slug string, s *daoyue.Service) error {
	return a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if err := requireManager(m); err != nil {
			return err
		}
		old, err := tx.Service(ctx, ws.ID, s.ID)
		if err != nil {
			return err
		}
		if err := checkService(ctx, tx, ws, s); err != nil {
			return err
		}
		s.WorkspaceID, s.CreatedAt = ws.ID, old.CreatedAt
		if err := tx.UpdateService(ctx, s); err != nil {
			return err
		}
		return a.audit(ctx, tx, ws.ID, "service.updated", "service", s.ID, map[string]string{"name": s.Name})
	})
}
