package app_test

import (
	"context"
	"sync"
	"testing"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// Two owners each demoting or removing the other at the same moment: each
// alone would leave an owner, both together none. One of them is refused
// (the last owner) and the studio keeps an owner, round after round.
func TestOwnersChangedAtOnceKeepAnOwner(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db, false)
		ctx := context.Background()
		second := &daoyue.User{ID: daoyue.NewID("us"), Email: "second@a.example", Name: "Second", PasswordHash: "x", CreatedAt: monday}
		var wsID, firstID string
		err := db.Update(ctx, func(tx daoyue.Tx) error {
			ws, err := tx.WorkspaceBySlug(ctx, "studio")
			if err != nil {
				return err
			}
			wsID, firstID = ws.ID, daoyue.ActorFrom(f.owner).UserID
			return tx.CreateUser(ctx, second)
		})
		if err != nil {
			t.Fatal(err)
		}
		bothOwners := func() {
			t.Helper()
			err := db.Update(ctx, func(tx daoyue.Tx) error {
				for _, id := range []string{firstID, second.ID} {
					if err := tx.PutMember(ctx, &daoyue.Member{WorkspaceID: wsID, UserID: id, Role: daoyue.RoleOwner, CreatedAt: monday}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		asSecond := daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorMember, UserID: second.ID, Label: second.Email})
		for round := range 12 {
			bothOwners()
			var errs [2]error
			start := make(chan struct{})
			var wg sync.WaitGroup
			wg.Go(func() {
				<-start
				errs[0] = f.a.SetMemberRole(f.owner, "studio", second.ID, daoyue.RoleAdmin, "")
			})
			wg.Go(func() {
				<-start
				if round%2 == 0 {
					errs[1] = f.a.SetMemberRole(asSecond, "studio", firstID, daoyue.RoleAdmin, "")
				} else {
					errs[1] = f.a.RemoveMember(asSecond, "studio", firstID)
				}
			})
			close(start)
			wg.Wait()
			owners := 0
			err := db.View(ctx, func(tx daoyue.Tx) error {
				ms, err := tx.ListMembers(ctx, wsID)
				for _, m := range ms {
					if m.Role == daoyue.RoleOwner {
						owners++
					}
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, err := range errs {
				// Refused as the last owner, or no longer an owner who
				// may change one, or no longer a member (removed first).
				if err != nil && !daoyue.IsCode(err, daoyue.ETRANSITION) && !daoyue.IsCode(err, daoyue.EFORBIDDEN) && !daoyue.IsCode(err, daoyue.ENOTFOUND) {
					t.Errorf("round %d: %v", round, err)
				}
			}
			if owners != 1 {
				t.Fatalf("round %d: %d owners after two owners changed each other at once (errors %v, %v)", round, owners, errs[0], errs[1])
			}
		}
	})
}
