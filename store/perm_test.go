package store_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/store"
)

// The SQLite file and its WAL are readable by their owner only, even in an
// existing folder with a permissive umask.
func TestSQLiteFilesPrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	path := filepath.Join(dir, "daoyue.db")
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(context.Background(), func(tx daoyue.Tx) error {
		return tx.CreateWorkspace(context.Background(), &daoyue.Workspace{ID: "ws_1", Slug: "perm", Name: "x", TimeZone: daoyue.DefaultTimeZone})
	}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s: mode %v, want no access for group or others", filepath.Base(f), perm)
		}
	}
}
