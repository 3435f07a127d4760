package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/daoyue/daoyue/store"
)

// PostgresEnv names the variable holding the PostgreSQL url for tests.
const PostgresEnv = "DAOYUE_TEST_POSTGRES_URL"

// NewSQLite opens a store on a fresh SQLite file in t.TempDir(), closed
// when the test ends.
func NewSQLite(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "daoyue.db"))
	if err != nil {
		t.Fatalf("open sqlite store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// PostgresURL creates a uniquely named schema (dropped with CASCADE when
// the test ends) in the database named by DAOYUE_TEST_POSTGRES_URL and
// returns a url whose search_path is that schema, then public. It skips
// the test when the variable is not set.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skip(PostgresEnv + " is not set")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)

	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	return u.String()
}

// NewPostgres opens a store in a fresh schema (see PostgresURL), closed
// and dropped when the test ends; it skips the test unless
// DAOYUE_TEST_POSTGRES_URL is set.
func NewPostgres(t testing.TB) *store.DB {
	t.Helper()
	u := PostgresURL(t)
	db, err := store.Open(context.Background(), u)
	if err != nil {
		t.Fatalf("open postgres store: %v", err)
	}
	t.Cleanup(func() { db.Close() }) // runs before the schema is dropped
	return db
}

// Each runs fn as the subtests "sqlite" and "postgres", each with a fresh
// store; "postgres" is skipped unless DAOYUE_TEST_POSTGRES_URL is set.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, NewSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, NewPostgres(t)) })
}
