package app

import (
	"context"
	"time"

	"github.com/daoyue/daoyue"
)

// SlotsInput asks for free slots. PractitionerID "" means any practitioner
// who delivers the service.
type SlotsInput struct {
	ServiceID      string
	PractitionerID string
	From, To       string // YYYY-MM-DD, inclusive, in the workspace's zone
}

// SlotsResult is the free slots and the zone they are meant to be shown in.
type SlotsResult struct {
	// Workspace is as read when the slots were computed (from the cache:
	// maybe earlier, but its zone is current).
	Workspace *daoyue.Workspace
	// Slots may be shared with other requests: read, never modify.
	Slots []daoyue.Slot
	// Gen identifies the computed month Slots comes from, the same for
	// every request it serves until the calendar changes (0: not kept);
	// Skip is how many of its leading slots have since come too close.
	// Together they key anything derived from the slots alone.
	Gen  uint64
	Skip int
}

// Slots returns the free slots of a public service. With no practitioner
// chosen each start appears once, with one practitioner who is free then;
// the practitioner is assigned at submission.
func (a *App) Slots(ctx context.Context, slug string, in SlotsInput) (*SlotsResult, error) {
	f := daoyue.FieldErrors{}
	if !daoyue.ValidDate(in.From) {
		f.Add("from", "error.date")
	}
	if !daoyue.ValidDate(in.To) {
		f.Add("to", "error.date")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	from, _ := time.Parse(time.DateOnly, in.From)
	to, _ := time.Parse(time.DateOnly, in.To)
	if to.Before(from) {
		f.Add("to", "error.date_order")
	} else if to.Sub(from) > daoyue.MaxSlotRangeDays*24*time.Hour {
		f.Add("to", "error.date_range")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	// A month computed before is served from the cache while the store's
	// stamp of everything it depends on is unchanged (slotcache.go): one
	// statement, no busy times read. The stamp is read before the busy
	// times, so what is cached is never older than its stamp.
	now := a.now()
	stamp, err := a.Store.SlotStamp(ctx, slug, in.ServiceID, in.PractitionerID)
	if err != nil {
		return nil, err
	}
	key := slotKey{slug, in.ServiceID, in.PractitionerID, in.From, in.To}
	if stamp != "" {
		if res, ok := a.slots.get(key, stamp, now); ok {
			return res, nil
		}
	}
	// The database transaction only reads; the slots are computed after it
	// ends, so a connection is not held while the arithmetic runs.
	var res SlotsResult
	var q daoyue.SlotQuery
	err = a.Store.View(ctx, func(tx daoyue.Tx) error {
		ws, err := tx.WorkspaceBySlug(ctx, slug)
		if err != nil {
			return err
		}
		svc, pracs, err := bookable(ctx, tx, ws, in.ServiceID, in.PractitionerID)
		if err != nil {
			return err
		}
		q, err = a.slotQuery(ctx, tx, ws, svc, pracs, in.From, in.To, nil, nil)
		res.Workspace = ws
		return err
	})
	if err != nil {
		return nil, err
	}
	q.Now = now
	if in.PractitionerID == "" {
		// Each start once, with the first practitioner free then.
		res.Slots = daoyue.FreeStarts(q)
	} else {
		res.Slots = daoyue.FreeSlots(q)
	}
	if stamp != "" {
		res.Gen = a.slots.put(key, stamp, now, time.Duration(q.Service.MinNoticeMin)*time.Minute, &res)
	}
	return &res, nil
}

// bookable returns an active service of ws and the active practitioners who
// may take it: the one asked for, or all who deliver it.
func bookable(ctx context.Context, tx daoyue.Tx, ws *daoyue.Workspace, serviceID, practitionerID string) (*daoyue.Service, []*daoyue.Practitioner, error) {
	svc, err := tx.Service(ctx, ws.ID, serviceID)
	if err != nil || !svc.Active {
		return nil, nil, daoyue.Errorf(daoyue.ENOTFOUND, "error.service_not_found")
	}
	var pracs []*daoyue.Practitioner
	if practitionerID == "" && len(svc.PractitionerIDs) > 1 {
		// Any practitioner: the workspace's practitioners in one query,
		// kept in the service's order.
		all, err := tx.ListPractitioners(ctx, ws.ID)
		if err != nil {
			return nil, nil, err
		}
		byID := make(map[string]*daoyue.Practitioner, len(all))
		for _, p := range all {
			byID[p.ID] = p
		}
		for _, id := range svc.PractitionerIDs {
			if p := byID[id]; p != nil && p.Active {
				pracs = append(pracs, p)
			}
		}
		return svc, pracs, nil
	}
	for _, id := range svc.PractitionerIDs {
		if practitionerID != "" && id != practitionerID {
			continue
		}
		p, err := tx.Practitioner(ctx, ws.ID, id)
		if err == nil && p.Active {
			pracs = append(pracs, p)
		} else if err != nil && !daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return nil, nil, err
		}
	}
	if practitionerID != "" && len(pracs) == 0 {
		return nil, nil, daoyue.Errorf(daoyue.ENOTFOUND, "error.practitioner_not_found")
	}
	return svc, pracs, nil
}

// slotQuery loads what slot computation needs for the dates from..to.
// ignore, when set, is a block not to count as busy: the booking's own
// time while it is being moved. only, when set, limits the busy times read
// to those overlapping it (an empty one reads none).
func (a *App) slotQuery(ctx context.Context, tx daoyue.Tx, ws *daoyue.Workspace, svc *daoyue.Service, pracs []*daoyue.Practitioner, from, to string, ignore, only *daoyue.Interval) (daoyue.SlotQuery, error) {
	loc := ws.Location()
	q := daoyue.SlotQuery{Service: svc, Location: loc, From: from, To: to, Now: a.now()}
	if len(pracs) == 0 {
		return q, nil
	}
	f, _ := time.ParseInLocation(time.DateOnly, from, loc)
	t, _ := time.ParseInLocation(time.DateOnly, to, loc)
	// Buffers reach past a day's edges: load a day more on each side.
	busyFrom, busyTo := f.AddDate(0, 0, -1), t.AddDate(0, 0, 2)
	if only != nil {
		busyFrom, busyTo = only.Start, only.End
	}
	ids := make([]string, len(pracs))
	for i, p := range pracs {
		ids[i] = p.ID
	}
	busy, err := tx.Busy(ctx, ws.ID, ids, busyFrom, busyTo)
	if err != nil {
		return q, err
	}
	// Several practitioners' overrides come in one query.
	var all map[string][]*daoyue.DateOverride
	if len(pracs) > 1 {
		ovs, err := tx.ListWorkspaceOverrides(ctx, ws.ID, from, to)
		if err != nil {
			return q, err
		}
		all = map[string][]*daoyue.DateOverride{}
		for _, o := range ovs {
			all[o.PractitionerID] = append(all[o.PractitionerID], o)
		}
	}
	for _, p := range pracs {
		av := daoyue.Availability{PractitionerID: p.ID, Weekly: p.Weekly, Overrides: map[string][]daoyue.TimeRange{}}
		ovs := all[p.ID]
		if all == nil {
			var err error
			if ovs, err = tx.ListOverrides(ctx, ws.ID, p.ID, from, to); err != nil {
				return q, err
			}
		}
		for _, o := range ovs {
			av.Overrides[o.Date] = o.Ranges
		}
		for _, iv := range busy[p.ID] {
			if ignore != nil && iv.Start.Equal(ignore.Start) && iv.End.Equal(ignore.End) {
				continue
			}
			av.Busy = append(av.Busy, iv)
		}
		q.Practitioners = append(q.Practitioners, av)
	}
	return q, nil
}

// checkSlot explains why start is not a free slot of practitioner p, or
// returns nil. Every answer is ESLOT (API.md); the message says which.
func (a *App) checkSlot(ctx context.Context, tx daoyue.Tx, ws *daoyue.Workspace, svc *daoyue.Service, p *daoyue.Practitioner, start time.Time, ignore *daoyue.Interval) error {
	if !start.After(a.now()) {
		return daoyue.Errorf(daoyue.ESLOT, "error.slot_past")
	}
	// Whether start is free of bookings depends only on the busy times its
	// own block (buffers included) would overlap: read those alone, and any
	// of them but the booking's own (being moved) means taken, before the
	// practitioner's hours are read (the losers of a race for a slot, who
	// waited for the practitioner's lock, answer a round trip sooner).
	block := daoyue.BlockFor(start, start.Add(time.Duration(svc.DurationMin)*time.Minute), svc.BufferBefore, svc.BufferAfter)
	busy, err := tx.Busy(ctx, ws.ID, []string{p.ID}, block.Start, block.End)
	if err != nil {
		return err
	}
	for _, iv := range busy[p.ID] {
		if ignore == nil || !iv.Start.Equal(ignore.Start) || !iv.End.Equal(ignore.End) {
			return daoyue.ErrSlotTaken
		}
	}
	// Nothing in the way: whether start is offered is the hours' to say.
	date := start.In(ws.Location()).Format(time.DateOnly)
	q, err := a.slotQuery(ctx, tx, ws, svc, []*daoyue.Practitioner{p}, date, date, nil, &daoyue.Interval{Start: block.Start, End: block.Start})
	if err != nil {
		return err
	}
	if !daoyue.IsFreeSlot(q, start) {
		return daoyue.Errorf(daoyue.ESLOT, "error.slot_not_offered")
	}
	return nil
}
