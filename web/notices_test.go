package web

import (
	"context"
	"testing"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/demo"
	"github.com/daoyue/daoyue/store"
)

// quietNotices turns the studios' notices off (every member's choices, no
// email on the practitioners' forms), for tests that count the client's
// messages only.
func quietNotices(t *testing.T, db *store.DB, studios ...*demo.Studio) {
	t.Helper()
	ctx := context.Background()
	off := map[daoyue.NoticeKind]bool{}
	for _, k := range daoyue.NoticeKinds {
		off[k] = false
	}
	err := db.Update(ctx, func(tx daoyue.Tx) error {
		for _, st := range studios {
			ms, err := tx.ListMembers(ctx, st.Workspace.ID)
			if err != nil {
				return err
			}
			for _, m := range ms {
				if err := tx.SetNoticePrefs(ctx, m.WorkspaceID, m.UserID, off); err != nil {
					return err
				}
			}
			for _, p := range []*daoyue.Practitioner{st.Lin, st.Chen} {
				p.Email = ""
				if err := tx.UpdatePractitioner(ctx, p); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
