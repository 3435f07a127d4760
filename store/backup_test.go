package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// LatestVersion reads the same newest version as the migrator, for both
// dialects, and CheckVersion refuses anything newer.
func TestBackupLatestVersion(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, d := range []string{SQLite, Postgres} {
		v, err := LatestVersion(d)
		if err != nil || v != db.latest {
			t.Errorf("%s: LatestVersion = %d, %v; the migrator's is %d", d, v, err, db.latest)
		}
		if err := CheckVersion(d, v); err != nil {
			t.Errorf("%s: current version refused: %v", d, err)
		}
		if err := CheckVersion(d, v+1); err == nil || !strings.Contains(err.Error(), "newer") {
			t.Errorf("%s: a newer version: %v", d, err)
		}
	}
}

// SQLiteInUse sees an open store; BackupSQLite never writes over a file
// with content and never creates a missing source.
func TestBackupSQLiteFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "d.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if inUse, err := SQLiteInUse(ctx, path); err != nil || !inUse {
		t.Errorf("open store: in use = %v, %v", inUse, err)
	}
	full := filepath.Join(dir, "full")
	if err := os.WriteFile(full, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := BackupSQLite(ctx, path, full); err == nil {
		t.Error("VACUUM INTO wrote over a file with content")
	}
	if b, _ := os.ReadFile(full); string(b) != "keep me" {
		t.Errorf("the file was changed: %q", b)
	}
	db.Close()
	if inUse, err := SQLiteInUse(ctx, path); err != nil || inUse {
		t.Errorf("closed store: in use = %v, %v", inUse, err)
	}
	missing := filepath.Join(dir, "missing.db")
	if _, err := BackupSQLite(ctx, missing, filepath.Join(dir, "out")); err == nil {
		t.Error("backup of a missing database succeeded")
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("backup created the missing database: %v", err)
	}
}
