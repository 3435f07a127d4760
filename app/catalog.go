package app

import (
	"context"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/internal/bounded"
)

// A submission read the service and its practitioners again every time
// (three statements or more inside the booking's transaction, which on
// SQLite holds the one writer), though a studio's catalog changes a few
// times a day. catalogCache keeps what bookable read, under the studio's
// catalog version (daoyue.Workspace.CatalogVersion), which the database
// raises on every write to its services, its practitioners' own fields and
// who gives which service (migration 00027). The workspace row the booking
// reads anyway carries the version, read in the booking's own
// transaction, so a cached entry is used only while nothing it was read
// from has changed since, on any instance.
type catalogCache struct {
	entries bounded.Map[catalogKey, *catalogEntry] // weighed in practitioners
}

// catalogCacheMax bounds the practitioners held (a few hundred bytes each
// with their service: well under a megabyte).
const catalogCacheMax = 2_000

type catalogKey struct {
	workspace    string
	version      int64
	service      string
	practitioner string // "" for any
}

type catalogEntry struct {
	svc   *daoyue.Service
	pracs []*daoyue.Practitioner
}

// bookableCached is bookable for ws as read in tx, from the cache when
// ws's catalog version is the one the entry was read under. The caller
// gets copies it may change.
func (a *App) bookableCached(ctx context.Context, tx daoyue.Tx, ws *daoyue.Workspace, serviceID, practitionerID string) (*daoyue.Service, []*daoyue.Practitioner, error) {
	k := catalogKey{ws.ID, ws.CatalogVersion, serviceID, practitionerID}
	e, ok := a.catalog.entries.Get(k)
	if !ok {
		svc, pracs, err := bookable(ctx, tx, ws, serviceID, practitionerID)
		if err != nil {
			return nil, nil, err // not kept: errors are rare and cheap to find again
		}
		e = &catalogEntry{svc: svc, pracs: pracs}
		a.catalog.entries.Put(k, e, 1+len(pracs), catalogCacheMax)
	}
	svc := *e.svc
	svc.PractitionerIDs = append([]string(nil), e.svc.PractitionerIDs...)
	svc.Reminders = append([]int(nil), e.svc.Reminders...)
	pracs := make([]*daoyue.Practitioner, len(e.pracs))
	for i, p := range e.pracs {
		c := *p
		c.Weekly = append([]daoyue.WeeklyRule(nil), p.Weekly...)
		c.CalendarVersion = 0 // not the catalog's: read the practitioner for it
		pracs[i] = &c
	}
	return &svc, pracs, nil
}
