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
	what         catalogWhat
	service      string
	practitioner string // "" for any
}

// catalogWhat is what an entry holds.
type catalogWhat uint8

const (
	catalogBookable     catalogWhat = iota // bookable's answer: an active service and its active practitioners
	catalogService                         // one service, as stored
	catalogPractitioner                    // one practitioner, as stored
)

type catalogEntry struct {
	svc   *daoyue.Service
	pracs []*daoyue.Practitioner
}

// bookableCached is bookable for ws as read in tx, from the cache when
// ws's catalog version is the one the entry was read under. The caller
// gets copies it may change.
func (a *App) bookableCached(ctx context.Context, tx daoyue.Tx, ws *daoyue.Workspace, serviceID, practitionerID string) (*daoyue.Service, []*daoyue.Practitioner, error) {
	e, err := a.catalogEntry(catalogKey{ws.ID, ws.CatalogVersion, catalogBookable, serviceID, practitionerID}, func() (*catalogEntry, error) {
		svc, pracs, err := bookable(ctx, tx, ws, serviceID, practitionerID)
		return &catalogEntry{svc: svc, pracs: pracs}, err
	})
	if err != nil {
		return nil, nil, err
	}
	svc, pracs := e.copies()
	return svc, pracs, nil
}

// catalogEntry returns k's entry, read with read on a miss and kept
// (errors are not kept: they are rare and cheap to find again).
func (a *App) catalogEntry(k catalogKey, read func() (*catalogEntry, error)) (*catalogEntry, error) {
	if e, ok := a.catalog.entries.Get(k); ok {
		return e, nil
	}
	e, err := read()
	if err != nil {
		return nil, err
	}
	a.catalog.entries.Put(k, e, 1+len(e.pracs), catalogCacheMax)
	return e, nil
}

// serviceIn is the service id of ws: the one the context knows, or the
// catalog's under ws's version (read in tx on a miss). Read ws in tx: an
// entry holds what was read after its version was, so it is at least as
// new as the ws that names that version.
func (a *App) serviceIn(ctx context.Context, tx daoyue.Tx, ws *daoyue.Workspace, id string) (*daoyue.Service, error) {
	if s := knownOf(ctx).svc; s != nil && s.WorkspaceID == ws.ID && s.ID == id {
		return s, nil
	}
	e, err := a.catalogEntry(catalogKey{ws.ID, ws.CatalogVersion, catalogService, id, ""}, func() (*catalogEntry, error) {
		svc, err := tx.Service(ctx, ws.ID, id)
		return &catalogEntry{svc: svc}, err
	})
	if err != nil {
		return nil, err
	}
	svc, _ := e.copies()
	return svc, nil
}

// practitionerIn is serviceIn for a practitioner.
func (a *App) practitionerIn(ctx context.Context, tx daoyue.Tx, ws *daoyue.Workspace, id string) (*daoyue.Practitioner, error) {
	if p := knownOf(ctx).prac; p != nil && p.WorkspaceID == ws.ID && p.ID == id {
		return p, nil
	}
	e, err := a.catalogEntry(catalogKey{ws.ID, ws.CatalogVersion, catalogPractitioner, "", id}, func() (*catalogEntry, error) {
		p, err := tx.Practitioner(ctx, ws.ID, id)
		return &catalogEntry{pracs: []*daoyue.Practitioner{p}}, err
	})
	if err != nil {
		return nil, err
	}
	_, pracs := e.copies()
	return pracs[0], nil
}

// copies returns copies of the entry's service and practitioners, which
// the caller may change.
func (e *catalogEntry) copies() (*daoyue.Service, []*daoyue.Practitioner) {
	var svc *daoyue.Service
	if e.svc != nil {
		c := *e.svc
		c.PractitionerIDs = append([]string(nil), e.svc.PractitionerIDs...)
		c.Reminders = append([]int(nil), e.svc.Reminders...)
		svc = &c
	}
	pracs := make([]*daoyue.Practitioner, len(e.pracs))
	for i, p := range e.pracs {
		c := *p
		c.Weekly = append([]daoyue.WeeklyRule(nil), p.Weekly...)
		c.CalendarVersion = 0 // not the catalog's: read the practitioner for it
		pracs[i] = &c
	}
	return svc, pracs
}
