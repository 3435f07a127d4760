package store

import (
	"context"

	"github.com/daoyue/daoyue"
)

// serviceRow is the stored row of s (its practitioners aside): its
// columns in the order of scanService, with their values.
func serviceRow(s *daoyue.Service) []column {
	return []column{
		{"id", s.ID}, {"workspace_id", s.WorkspaceID}, {"name", s.Name}, {"description", s.Description},
		{"duration_min", s.DurationMin}, {"buffer_before", s.BufferBefore}, {"buffer_after", s.BufferAfter},
		{"slot_step", s.SlotStep}, {"min_notice_min", s.MinNoticeMin}, {"horizon_days", s.HorizonDays},
		{"online", s.Online}, {"online_instructions", s.OnlineInstructions}, {"location", s.Location},
		{"price_amount", s.Price.Amount}, {"price_currency", s.Price.Currency},
		{"confirmation", string(s.Confirmation)}, {"payment", string(s.Payment)},
		{"payment_deadline_min", s.PaymentDeadlineMin}, {"meeting_host", string(s.MeetingHost)},
		{"designated_host_id", s.DesignatedHostID}, {"active", s.Active}, {"created_at", unix(s.CreatedAt)},
		{"reminders", daoyue.FormatReminders(s.Reminders)},
	}
}

var serviceCols = columnNames(serviceRow(&daoyue.Service{}), "")

func scanService(sc scanner) (*daoyue.Service, error) {
	var s daoyue.Service
	var created int64
	var reminders string
	err := sc.Scan(&s.ID, &s.WorkspaceID, &s.Name, &s.Description, &s.DurationMin, &s.BufferBefore, &s.BufferAfter, &s.SlotStep,
		&s.MinNoticeMin, &s.HorizonDays, &s.Online, &s.OnlineInstructions, &s.Location, &s.Price.Amount, &s.Price.Currency,
		&s.Confirmation, &s.Payment, &s.PaymentDeadlineMin, &s.MeetingHost, &s.DesignatedHostID, &s.Active, &created, &reminders)
	if err != nil {
		return nil, err
	}
	s.CreatedAt = fromUnix(created)
	s.Reminders = daoyue.ParseReminders(reminders)
	return &s, nil
}

// CreateService stores s with its practitioners (in order); a practitioner
// not in the workspace is ENOTFOUND.
func (t *tx) CreateService(ctx context.Context, s *daoyue.Service) error {
	q, args := insert("services", serviceRow(s))
	_, err := t.exec(ctx, "create service", q, args...)
	if err != nil {
		return err
	}
	return t.linkPractitioners(ctx, s)
}

// UpdateService changes every field of s but its id, workspace and
// creation time, and replaces its practitioners.
func (t *tx) UpdateService(ctx context.Context, s *daoyue.Service) error {
	var a params
	q := `UPDATE services SET ` + a.set(except(serviceRow(s), "id", "workspace_id", "created_at")) +
		` WHERE id = ` + a.add(s.ID) + ` AND workspace_id = ` + a.add(s.WorkspaceID)
	err := t.execOne(ctx, "update service", q, a...)
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
