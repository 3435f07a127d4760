package store

import (
	"context"
	"strconv"
)

// slotStampQuery reads, for one service of the workspace with a slug,
// everything its free slots depend on besides the busy times and date
// overrides themselves (which the practitioners' calendar versions count):
// the zone, the service's timing, and its practitioners in order with their
// state, hours and calendar version.
const slotStampQuery = `SELECT w.id, w.time_zone, s.active, s.duration_min, s.buffer_before, s.buffer_after,
	s.slot_step, s.min_notice_min, s.horizon_days,
	COALESCE(p.id, ''), COALESCE(p.active, FALSE), COALESCE(p.calendar_version, 0), COALESCE(p.weekly, '')
FROM workspaces w
JOIN services s ON s.workspace_id = w.id AND s.id = $2
LEFT JOIN service_practitioners sp ON sp.workspace_id = w.id AND sp.service_id = s.id
LEFT JOIN practitioners p ON p.workspace_id = w.id AND p.id = sp.practitioner_id
WHERE w.slug = $1
ORDER BY sp.position`

// SlotStamp returns a string that changes whenever the free slots of the
// service (of one practitioner, or of any with practitionerID "") may have
// changed, other than by the passing of time; "" when the workspace or
// service does not exist. It is one statement outside any transaction (a
// consistent snapshot on both databases, one round trip on PostgreSQL):
// the slot cache asks it on every request.
func (db *DB) SlotStamp(ctx context.Context, slug, serviceID, practitionerID string) (string, error) {
	conn, ctx, release, err := takeConn(ctx, db.r) // runs to its end, as a transaction does
	if err != nil {
		return "", db.wrap("slot stamp", err)
	}
	defer release()
	rows, err := conn.QueryContext(ctx, slotStampQuery, slug, serviceID)
	if err != nil {
		return "", db.wrap("slot stamp", err)
	}
	defer rows.Close()
	var b []byte
	for rows.Next() {
		var wsID, zone, pID, weekly string
		var svcActive, pActive bool
		var n [6]int64
		var version int64
		if err := rows.Scan(&wsID, &zone, &svcActive, &n[0], &n[1], &n[2], &n[3], &n[4], &n[5], &pID, &pActive, &version, &weekly); err != nil {
			return "", db.wrap("slot stamp", err)
		}
		if b == nil {
			b = append(append(append(b, wsID...), '|'), zone...)
			b = strconv.AppendBool(append(b, '|'), svcActive)
			for _, v := range n {
				b = strconv.AppendInt(append(b, '|'), v, 10)
			}
		}
		if practitionerID != "" && pID != practitionerID {
			continue
		}
		b = append(append(b, '|'), pID...)
		b = strconv.AppendBool(append(b, ':'), pActive)
		b = strconv.AppendInt(append(b, ':'), version, 10)
		b = append(append(b, ':'), weekly...)
	}
	if err := rows.Err(); err != nil {
		return "", db.wrap("slot stamp", err)
	}
	return string(b), nil
}
