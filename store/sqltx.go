package store

import (
	"context"
	"database/sql"
)

// sqlTx is a transaction's *sql.Tx. On SQLite its statements are kept
// prepared by the connection (sqliteconn.go); PostgreSQL's pgx keeps its
// own per-connection statement cache.
type sqlTx struct {
	*sql.Tx
	detach bool // run statements whatever their context's cancellation (db.run, batch.go)
}

func (t sqlTx) ctx(ctx context.Context) context.Context {
	if t.detach {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

func (t sqlTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.Tx.ExecContext(t.ctx(ctx), q, args...)
}

func (t sqlTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.Tx.QueryContext(t.ctx(ctx), q, args...)
}

func (t sqlTx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return t.Tx.QueryRowContext(t.ctx(ctx), q, args...)
}
