package store

import (
	"context"
	"path/filepath"
	"testing"
)

// A connection's kept statement runs again while rows of it are still
// open (a nested read of the same text) without resetting the cursor under
// them, and keeps answering after an error.
func TestSQLiteConnStatements(t *testing.T) {
	ctx := context.Background()
	db, err := openSQLiteDB(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (n INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	const ins = `INSERT INTO t (n) VALUES (?)`
	for i := 1; i <= 3; i++ {
		if _, err := db.ExecContext(ctx, ins, i); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, ins, 1); err == nil {
		t.Fatal("a duplicate key was inserted")
	}
	if _, err := db.ExecContext(ctx, ins, 4); err != nil {
		t.Fatalf("after an error: %v", err)
	}
	const q = `SELECT n FROM t WHERE n >= ? ORDER BY n`
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, q, 1)
	if err != nil {
		t.Fatal(err)
	}
	var outer, inner []int
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		outer = append(outer, n)
		var m int
		if err := tx.QueryRowContext(ctx, q, n).Scan(&m); err != nil {
			t.Fatal(err)
		}
		inner = append(inner, m)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if len(outer) != 4 || outer[3] != 4 || len(inner) != 4 || inner[2] != 3 {
		t.Fatalf("outer %v, inner %v", outer, inner)
	}
	var n int
	if err := tx.QueryRowContext(ctx, q, 2).Scan(&n); err != nil || n != 2 {
		t.Fatalf("after the rows closed: %d %v", n, err)
	}
}
