package jobs

import (
	"context"
	"testing"

	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/logging"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// syncsQueued names exactly the bookings whose meeting sync job is queued
// (or running), on both databases: the sweep's Resync leaves them alone
// rather than "requeue" them every few seconds.
func TestSyncsQueued(t *testing.T) {
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			var db *store.DB
			if kind == "sqlite" {
				db = storetest.NewSQLite(t)
			} else {
				db = storetest.NewPostgres(t)
			}
			ctx := context.Background()
			a := app.New(db, logging.Discard())
			r, err := New(ctx, db, a, logging.Discard(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if a.SyncsQueued == nil {
				t.Fatal("New did not give the app its SyncsQueued")
			}
			if _, err := r.client.Insert(ctx, SyncMeetingArgs{WorkspaceID: "ws_1", BookingID: "bk_queued"}, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := r.client.Insert(ctx, SendMailArgs{WorkspaceID: "ws_1", MessageID: "bk_other"}, nil); err != nil {
				t.Fatal(err)
			}
			got, err := a.SyncsQueued(ctx, []string{"bk_queued", "bk_other", "bk_none"})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || !got["bk_queued"] {
				t.Fatalf("got %v, want only bk_queued", got)
			}
			if got, err := a.SyncsQueued(ctx, nil); err != nil || len(got) != 0 {
				t.Fatalf("no ids: %v %v", got, err)
			}
		})
	}
}
