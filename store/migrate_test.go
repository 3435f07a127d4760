package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/daoyue/daoyue"
)

// The Zoom migration (00002) keeps the bookings made before it, with no
// meeting, and goes down and up again cleanly. (An internal test: storetest
// imports this package, so it sets up its own PostgreSQL schema.)
func TestMigrateZoom(t *testing.T) {
	t.Parallel()
	t.Run("sqlite", func(t *testing.T) {
		db, err := openSQLite(context.Background(), filepath.Join(t.TempDir(), "m.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		testMigrateZoom(t, db)
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv("DAOYUE_TEST_POSTGRES_URL")
		if base == "" {
			t.Skip("DAOYUE_TEST_POSTGRES_URL is not set")
		}
		ctx := context.Background()
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		schema := "t_" + hex.EncodeToString(b)
		if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
			t.Fatal(err)
		}
		defer admin.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`)
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema+",public")
		u.RawQuery = q.Encode()
		db, err := openPostgres(ctx, u.String())
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		testMigrateZoom(t, db)
	})
}

func testMigrateZoom(t *testing.T, db *DB) {
	ctx := context.Background()
	if _, err := db.goose.UpTo(ctx, 1); err != nil {
		t.Fatalf("up to 1: %v", err)
	}
	for _, q := range []string{
		`INSERT INTO workspaces (id, slug, name, time_zone, created_at) VALUES ('ws_1', 'one', 'One', 'Asia/Taipei', 0)`,
		`INSERT INTO practitioners (id, workspace_id, name, created_at) VALUES ('pr_1', 'ws_1', 'P', 0)`,
		`INSERT INTO services (id, workspace_id, name, duration_min, confirmation, payment, meeting_host, created_at)
		 VALUES ('sv_1', 'ws_1', 'S', 60, 'auto', 'none', 'assigned', 0)`,
		`INSERT INTO bookings (id, workspace_id, service_id, practitioner_id, start_at, end_at, status, created_at, updated_at)
		 VALUES ('bk_1', 'ws_1', 'sv_1', 'pr_1', 3600, 7200, 'confirmed', 0, 0)`,
	} {
		if _, err := db.w.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	check := func(what string) {
		t.Helper()
		var b *daoyue.Booking
		err := db.View(ctx, func(tx daoyue.Tx) error {
			var err error
			b, err = tx.Booking(ctx, "ws_1", "bk_1")
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if want := (daoyue.Meeting{Status: daoyue.MeetingNone}); b.Meeting != want {
			t.Errorf("%s: meeting %+v, want %+v", what, b.Meeting, want)
		}
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	check("after 00002")
	if _, err := db.goose.DownTo(ctx, 1); err != nil {
		t.Fatalf("down to 1: %v", err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	check("after down and up")
	if err := db.Ping(ctx); err != nil {
		t.Error(err)
	}
}
