package store

import (
	"context"

	"github.com/daoyue/daoyue"
)

const serviceCols = `id, workspace_id, name, description, duration_min, buffer_before, buffer_after, slot_step,
	min_notice_min, horizon_days, online, online_instructions, location, price_amount, price_currency,
	confirmation, payment, payment_deadline_min, meeting_host, designated_host_id, active, created_at`

func serviceArgs(s *daoyue.Service) []any {
	return []any{s.ID, s.WorkspaceID, s.Name, s.Description, s.DurationMin, s.BufferBefore, s.BufferAfter, s.SlotStep,
		s.MinNoticeMin, s.HorizonDays, s.Online, s.OnlineInstructions, s.Location, s.Price.Amount, s.Price.Currency,
		string(s.Confirmation), string(s.Payment), s.PaymentDeadlineMin, string(s.MeetingHost), s.DesignatedHostID,
		s.Active, unix(s.CreatedAt)}
}

func scanService(sc scanner) (*daoyue.Service, error) {
	var s daoyue.Service
	var created int64
	err := sc.Scan(&s.ID, &s.WorkspaceID, &s.Name, &s.Description, &s.DurationMin, &s.BufferBefore, &s.BufferAfter, &s.SlotStep,
		&s.MinNoticeMin, &s.HorizonDays, &s.Online, &s.OnlineInstructions, &s.Location, &s.Price.Amount, &s.Price.Currency,
		&s.Confirmation, &s.Payment, &s.PaymentDeadlineMin, &s.MeetingHost, &s.DesignatedHostID, &s.Active, &created)
	if err != nil {
		return nil, err
	}
	s.CreatedAt = fromUnix(created)
	return &s, nil
}

// CreateService stores s with its practitioners (in order); a practitioner
// not in the workspace is ENOTFOUND.
func (t *tx) CreateService(ctx context.Context, s *daoyue.Service) error {
	_, err := t.exec(ctx, "create service",
		`INSERT INTO services (`+serviceCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
		 $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)`, serviceArgs(s)...)
	if err != nil {
		return err
	}
	return t.linkPractitioners(ctx, s)
}

// UpdateService changes every field of s but its id, workspace and
// creation time, and replaces its practitioners.
func (t *tx) UpdateService(ctx context.Context, s *daoyue.Service) error {
	err := t.execOne(ctx, "update service",
		`UPDATE services SET name = $3, description = $4, duration_min = $5, buffer_before = $6, buffer_after = $7,
		 slot_step = $8, min_notice_min = $9, horizon_days = $10, online = $11, online_instructions = $12,
		 location = $13, price_amount = $14, price_currency = $15, confirmation = $16, payment = $17,
		 payment_deadline_min = $18, meeting_host = $19, designated_host_id = $20, active = $21
		 WHERE id = $1 AND workspace_id = $2`, serviceArgs(s)[:21]...)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, "update service", `DELETE FROM service_practitioners WHERE workspace_id = $1 AND service_id = $2`,
		s.WorkspaceID, s.ID); err != nil {
		return err
	}
	return t.linkPractitioners(ctx, s)
}

func (t *tx) linkPractitioners(ctx context.Context, s *daoyue.Service) error {
	seen := map[string]bool{}
	for _, p := range s.PractitionerIDs {
		if seen[p] {
			continue
		}
		seen[p] = true
		if _, err := t.exec(ctx, "link service practitioner",
			`INSERT INTO service_practitioners (workspace_id, service_id, practitioner_id, position) VALUES ($1, $2, $3, $4)`,
			s.WorkspaceID, s.ID, p, len(seen)); err != nil {
			return err
		}
	}
	return nil
}

// practitionersOf returns the practitioner ids of the workspace's services
// (of one service when serviceID is not "") in their order.
func (t *tx) practitionersOf(ctx context.Context, workspaceID, serviceID string) (map[string][]string, error) {
	var a params
	q := `SELECT service_id, practitioner_id FROM service_practitioners WHERE workspace_id = ` + a.add(workspaceID)
	if serviceID != "" {
		q += ` AND service_id = ` + a.add(serviceID)
	}
	rows, err := t.query(ctx, "service practitioners", q+` ORDER BY service_id, position`, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var s, p string
		if err := rows.Scan(&s, &p); err != nil {
			return nil, t.db.wrap("service practitioners", err)
		}
		out[s] = append(out[s], p)
	}
	return out, t.db.wrap("service practitioners", rows.Err())
}

func (t *tx) Service(ctx context.Context, workspaceID, id string) (*daoyue.Service, error) {
	s, err := scanService(t.tx.QueryRowContext(ctx,
		`SELECT `+serviceCols+` FROM services WHERE workspace_id = $1 AND id = $2`, workspaceID, id))
	if err != nil {
		return nil, t.db.wrap("service", err)
	}
	ps, err := t.practitionersOf(ctx, workspaceID, id)
	if err != nil {
		return nil, err
	}
	s.PractitionerIDs = ps[id]
	return s, nil
}

// ListServices lists a workspace's services by name.
func (t *tx) ListServices(ctx context.Context, workspaceID string) ([]*daoyue.Service, error) {
	rows, err := t.query(ctx, "list services",
		`SELECT `+serviceCols+` FROM services WHERE workspace_id = $1 ORDER BY name, id`, workspaceID)
	if err != nil {
		return nil, err
	}
	list, err := collect(t, "list services", rows, scanService)
	if err != nil || len(list) == 0 {
		return list, err
	}
	ps, err := t.practitionersOf(ctx, workspaceID, "")
	if err != nil {
		return nil, err
	}
	for _, s := range list {
		s.PractitionerIDs = ps[s.ID]
	}
	return list, nil
}
