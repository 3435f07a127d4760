package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		// One store per database, shared by the subtests (they make their own workspaces).
		storetest.Run(t, func(*testing.T) daoyue.Store { return db })
	})
}

// TestConformanceDB runs the suite's part that needs the *store.DB itself
// (the job enqueuer), on stores of its own.
func TestConformanceDB(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) { storetest.RunDB(t, db) })
}

func TestDialect(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		want := t.Name()[len("TestDialect/"):]
		if db.Dialect() != want {
			t.Errorf("Dialect() = %q, want %q", db.Dialect(), want)
		}
		if err := db.SQL().PingContext(context.Background()); err != nil {
			t.Errorf("SQL().Ping: %v", err)
		}
	})
}

func TestOpenSQLite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	for _, url := range []string{
		filepath.Join(dir, "plain.db"),
		"sqlite:" + filepath.Join(dir, "a", "b", "prefixed.db"), // parent folders are created
		"file:" + filepath.Join(dir, "file.db"),
		filepath.Join(dir, "plain.db"), // again: already migrated
	} {
		db, err := store.Open(ctx, url)
		if err != nil {
			t.Fatalf("Open(%q): %v", url, err)
		}
		if err := db.Ping(ctx); err != nil {
			t.Errorf("Ping(%q): %v", url, err)
		}
		if db.Dialect() != store.SQLite {
			t.Errorf("Dialect(%q) = %q", url, db.Dialect())
		}
		db.Close()
	}
	for _, url := range []string{":memory:", "sqlite::memory:", "", "x.db?mode=ro"} {
		if db, err := store.Open(ctx, url); err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded, want an error", url)
		}
	}
}

// Ping reports a schema that is not at the newest migration.
func TestPingSchemaVersion(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.Ping(ctx); err != nil {
			t.Fatalf("Ping: %v", err)
		}
		if _, err := db.SQL().ExecContext(ctx, `DELETE FROM goose_db_version WHERE version_id = (SELECT max(version_id) FROM goose_db_version)`); err != nil {
			t.Fatal(err)
		}
		if err := db.Ping(ctx); err == nil || !strings.Contains(err.Error(), "version") {
			t.Errorf("Ping with an old schema: %v, want an error naming the version", err)
		}
		if _, err := db.SQL().ExecContext(ctx, `DROP TABLE goose_db_version`); err != nil {
			t.Fatal(err)
		}
		if err := db.Ping(ctx); err == nil {
			t.Errorf("Ping without a schema: no error")
		}
	})
}

// Instances starting together against one PostgreSQL schema migrate one
// after the other.
func TestOpenPostgresConcurrently(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresURL(t)
	ctx := context.Background()
	const n = 4
	dbs := make([]*store.DB, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { dbs[i], errs[i] = store.Open(ctx, url) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Errorf("Open %d: %v", i, errs[i])
			continue
		}
		if err := dbs[i].Ping(ctx); err != nil {
			t.Errorf("Ping %d: %v", i, err)
		}
		if err := dbs[i].Migrate(ctx); err != nil {
			t.Errorf("Migrate %d again: %v", i, err)
		}
		dbs[i].Close()
	}
}

// A burst of PostgreSQL transactions that ends leaves its connections open
// for the next: every burst of contended submissions used to close those
// above ten and open them again, a backend process forked and torn down
// for each (a third of the machine in the kernel; docs/performance.md).
func TestPostgresPoolKeepsConnections(t *testing.T) {
	db := storetest.NewPostgres(t)
	ctx := context.Background()
	burst := func() {
		t.Helper()
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range 18 {
			wg.Go(func() {
				<-start
				err := db.View(ctx, func(tx daoyue.Tx) error {
					_, err := tx.WorkspaceByID(ctx, "none")
					time.Sleep(50 * time.Millisecond) // all 18 hold a connection at once
					return err
				})
				if !daoyue.IsCode(err, daoyue.ENOTFOUND) {
					t.Errorf("view: %v", err)
				}
			})
		}
		close(start)
		wg.Wait()
	}
	burst()
	opened := db.SQL().Stats()
	burst()
	after := db.SQL().Stats()
	if opened.OpenConnections < 18 || after.MaxIdleClosed != 0 || after.OpenConnections != opened.OpenConnections {
		t.Errorf("after two bursts of 18: %d then %d connections open, %d closed as idle over the limit; want 18 or more kept",
			opened.OpenConnections, after.OpenConnections, after.MaxIdleClosed)
	}
}

// BenchmarkBusy loads 31 days of busy blocks of a practitioner who has
// 10,000 bookings (eight a day over about three and a half years).
func BenchmarkBusy(b *testing.B) {
	for _, d := range []struct {
		name string
		open func(testing.TB) *store.DB
	}{{"sqlite", storetest.NewSQLite}, {"postgres", storetest.NewPostgres}} {
		b.Run(d.name, func(b *testing.B) {
			db := d.open(b)
			ctx := context.Background()
			t0 := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
			ws := &daoyue.Workspace{ID: daoyue.NewID("ws"), Slug: "bench", Name: "Bench", TimeZone: "Asia/Taipei", CreatedAt: t0}
			p := &daoyue.Practitioner{ID: daoyue.NewID("pr"), WorkspaceID: ws.ID, Name: "P", Active: true, CreatedAt: t0}
			svc := &daoyue.Service{ID: daoyue.NewID("sv"), WorkspaceID: ws.ID, Name: "S", DurationMin: 50, HorizonDays: 60,
				Price: daoyue.Money{Currency: "TWD"}, Confirmation: daoyue.ConfirmAuto, Payment: daoyue.PaymentNone,
				MeetingHost: daoyue.HostAssigned, PractitionerIDs: []string{p.ID}, Active: true, CreatedAt: t0}
			err := db.Update(ctx, func(tx daoyue.Tx) error {
				return errors.Join(tx.CreateWorkspace(ctx, ws), tx.CreatePractitioner(ctx, p), tx.CreateService(ctx, svc))
			})
			if err != nil {
				b.Fatal(err)
			}
			const total, perDay = 10000, 8
			for batch := 0; batch < total; batch += 1000 {
				err := db.Update(ctx, func(tx daoyue.Tx) error {
					for i := batch; i < batch+1000; i++ {
						start := t0.AddDate(0, 0, i/perDay).Add(time.Duration(1+i%perDay) * time.Hour)
						bk := &daoyue.Booking{ID: daoyue.NewID("bk"), WorkspaceID: ws.ID, ServiceID: svc.ID, PractitionerID: p.ID,
							HostID: p.ID, Start: start, End: start.Add(50 * time.Minute), Status: daoyue.StatusConfirmed,
							PaymentStatus: daoyue.PaymentNotRequired, CreatedAt: t0, UpdatedAt: t0}
						if err := tx.CreateBooking(ctx, bk); err != nil {
							return err
						}
						if err := tx.Reserve(ctx, daoyue.Reservation{WorkspaceID: ws.ID, PractitionerID: p.ID, BookingID: bk.ID, Block: bk.Block()}); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			from := t0.AddDate(0, 0, total/perDay/2)
			to := from.AddDate(0, 0, 31)
			for b.Loop() {
				err := db.View(ctx, func(tx daoyue.Tx) error {
					busy, err := tx.Busy(ctx, ws.ID, []string{p.ID}, from, to)
					if err == nil && len(busy[p.ID]) != 31*perDay {
						b.Fatalf("%d blocks, want %d", len(busy[p.ID]), 31*perDay)
					}
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
