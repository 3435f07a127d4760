package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
)

// The log is copied into the database file beside the writer: after writes
// well under the writer's own threshold, the file grows without another
// commit, and readers see the same rows.
func TestSQLiteCheckpointBesideTheWriter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "daoyue.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE cp_t (n INTEGER PRIMARY KEY, b TEXT)`); err != nil {
		t.Fatal(err)
	}
	size := func() int64 {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	// Let the migrations' pages reach the file first.
	time.Sleep(500 * time.Millisecond)
	before, runsBefore := size(), db.checkpoints.runs.Load()
	blob := strings.Repeat("x", 2000)
	for i := range 10 {
		if err := db.Update(ctx, func(dt daoyue.Tx) error {
			for j := range 100 {
				if _, err := dt.(*tx).exec(ctx, "insert", `INSERT INTO cp_t (n, b) VALUES ($1, $2)`, i*100+j, blob); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	// ~2 MB: about 500 pages, far below the writer's threshold.
	// The checkpointer counts a run after its pages are written: wait for
	// both.
	for deadline := time.Now().Add(10 * time.Second); size() < before+1_500_000 || db.checkpoints.runs.Load() == runsBefore; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("database file %d bytes after 2 MB of writes (was %d), %d checkpoints: the log was not copied",
				size(), before, db.checkpoints.runs.Load()-runsBefore)
		}
	}
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM cp_t`).Scan(&n); err != nil || n != 1000 {
		t.Errorf("readers see %d rows (%v), want 1000", n, err)
	}
}

// Closing twice is no panic (tests and the server's shutdown both close).
func TestSQLiteCloseTwice(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "daoyue.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db.Close()
}
