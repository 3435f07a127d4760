package storetest

import (
	"context"
	"errors"
	"time"

	"github.com/daoyue/daoyue"
)

// testCallerGivesUp: a caller that gives up in the middle of a transaction
// (a visitor closing the page) does not cut it off. Its statements still
// run and it commits whole, and the connection serves the next caller;
// on PostgreSQL a statement cut off midway could leave its pooled
// connection broken, and another request then failed. A caller that has
// given up before the transaction begins starts nothing.
func testCallerGivesUp(e *env) {
	t := e.t
	ws := e.workspace()
	for i := range 3 {
		ctx, cancel := context.WithCancel(e.ctx)
		p := &daoyue.Practitioner{ID: daoyue.NewID("pr"), WorkspaceID: ws.ID, Name: "老師", Email: rnd() + "@example.com",
			Active: true, CreatedAt: base, Weekly: []daoyue.WeeklyRule{{Weekday: time.Monday, Start: 540, End: 1020}}}
		err := e.s.Update(ctx, func(tx daoyue.Tx) error {
			if _, err := tx.WorkspaceByID(ctx, ws.ID); err != nil {
				return err
			}
			cancel()
			return tx.CreatePractitioner(ctx, p)
		})
		wantNoErr(t, "a transaction whose caller gave up midway", err)
		e.view(func(tx daoyue.Tx) error {
			_, err := tx.Practitioner(e.ctx, ws.ID, p.ID)
			wantNoErr(t, "the practitioner it created", err)
			return nil
		})
		if i == 0 {
			began := false
			err = e.s.View(ctx, func(daoyue.Tx) error { began = true; return nil })
			if began || !errors.Is(err, context.Canceled) {
				t.Errorf("a view for a caller already gone: began %v, error %v", began, err)
			}
		}
	}
}
