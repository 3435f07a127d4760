package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// UpdateSteps keeps each step whatever the later ones do: a failing step
// leaves nothing of its own, the steps before it stay, the ones after it
// do not run; a later step sees the earlier ones' writes. (A booking's
// count must stay when its slot turns out taken.)
func TestUpdateSteps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := func(slug string) func(daoyue.Tx) error {
			return func(tx daoyue.Tx) error {
				return tx.CreateWorkspace(ctx, &daoyue.Workspace{ID: daoyue.NewID("ws"), Slug: slug, Name: slug, TimeZone: daoyue.DefaultTimeZone})
			}
		}
		exists := func(slug string) bool {
			t.Helper()
			var ok bool
			if err := db.View(ctx, func(tx daoyue.Tx) error {
				_, err := tx.WorkspaceBySlug(ctx, slug)
				if daoyue.IsCode(err, daoyue.ENOTFOUND) {
					return nil
				}
				ok = err == nil
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return ok
		}
		slug := func(s string) string { return s + "-" + daoyue.NewID("x")[2:10] }
		errTaken := errors.New("taken")

		a, b, c := slug("a"), slug("b"), slug("c")
		ran := false
		err := db.UpdateSteps(ctx, ws(a), func(tx daoyue.Tx) error {
			if _, err := tx.WorkspaceBySlug(ctx, a); err != nil {
				t.Errorf("the second step does not see the first's write: %v", err)
			}
			if err := ws(b)(tx); err != nil {
				return err
			}
			return errTaken
		}, func(tx daoyue.Tx) error {
			ran = true
			return ws(c)(tx)
		})
		if !errors.Is(err, errTaken) || ran {
			t.Fatalf("UpdateSteps: %v (third step ran: %v), want the second step's error and no third step", err, ran)
		}
		if !exists(a) || exists(b) || exists(c) {
			t.Errorf("a kept %v (want true), b %v, c %v (want false)", exists(a), exists(b), exists(c))
		}

		d, e := slug("d"), slug("e")
		err = db.UpdateSteps(ctx, func(tx daoyue.Tx) error {
			if err := ws(d)(tx); err != nil {
				return err
			}
			return errTaken
		}, ws(e))
		if !errors.Is(err, errTaken) || exists(d) || exists(e) {
			t.Errorf("a failing first step: %v, d %v, e %v; want its error and nothing kept", err, exists(d), exists(e))
		}

		f, g := slug("f"), slug("g")
		if err := db.UpdateSteps(ctx, ws(f), ws(g)); err != nil || !exists(f) || !exists(g) {
			t.Errorf("two steps that succeed: %v, f %v, g %v", err, exists(f), exists(g))
		}
		// A conflict in a later step (the slug of an earlier one) leaves
		// the earlier one, on both databases (PostgreSQL aborts a
		// transaction at an error; the step's own transaction takes it).
		h := slug("h")
		err = db.UpdateSteps(ctx, ws(h), ws(h))
		if daoyue.ErrorCode(err) != daoyue.ECONFLICT || !exists(h) {
			t.Errorf("a conflicting second step: %v, h kept %v", err, exists(h))
		}
	})
}
