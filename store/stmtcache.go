package store

import (
	"context"
	"database/sql"
	"strings"
	"sync"
)

// stmtCache keeps SQLite statements prepared, one *sql.Stmt per query
// text and pool, so a transaction runs them through Tx.StmtContext
// (database/sql then prepares each once per connection and reuses it)
// instead of having SQLite parse the text again on every call: parsing
// was a quarter of the CPU of a month's slots on SQLite and about 40% of
// a meeting sync's. PostgreSQL needs none (pgx keeps its own per-connection
// statement cache).
//
// A query seen for the first time runs unprepared, and is prepared in the
// background: preparing waits for a free connection of the pool, which a
// transaction holding SQLite's only writer must never wait for.
type stmtCache struct {
	pool *sql.DB
	mu   sync.Mutex
	m    map[string]*sql.Stmt // nil value: being prepared, or not to be
}

// maxCachedStmts bounds the cache: queries built with a variable number
// of placeholders could otherwise grow it without end.
const maxCachedStmts = 1024

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, m: map[string]*sql.Stmt{}}
}

// get returns the prepared statement of q, or nil (and starts preparing
// it) when there is none yet.
func (c *stmtCache) get(q string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	s, seen := c.m[q]
	if !seen && len(c.m) < maxCachedStmts {
		c.m[q] = nil
		go c.prepare(q)
	}
	c.mu.Unlock()
	return s
}

// cacheable reports whether q is worth keeping prepared: not transaction
// control or a pragma, which always run as text.
func cacheable(q string) bool {
	t := strings.TrimSpace(strings.ToUpper(q))
	return !strings.HasPrefix(t, "BEGIN") && !strings.HasPrefix(t, "COMMIT") && !strings.HasPrefix(t, "ROLLBACK") &&
		!strings.HasPrefix(t, "PRAGMA") && !strings.HasPrefix(t, "SAVEPOINT") && !strings.HasPrefix(t, "RELEASE")
}

func (c *stmtCache) prepare(q string) {
	if !cacheable(q) {
		return // left nil: always run as text
	}
	s, err := c.pool.PrepareContext(context.Background(), q)
	if err != nil {
		return // left nil: the query keeps running unprepared
	}
	c.mu.Lock()
	c.m[q] = s
	c.mu.Unlock()
}

// sqlTx is a transaction whose queries go through the statement cache
// (nil cache: straight to the transaction).
type sqlTx struct {
	*sql.Tx
	cache  *stmtCache
	detach bool // run statements whatever their context's cancellation (batch.go)
}

func (t sqlTx) ctx(ctx context.Context) context.Context {
	if t.detach {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

func (t sqlTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	ctx = t.ctx(ctx)
	if s := t.cache.get(q); s != nil {
		return t.Tx.StmtContext(ctx, s).ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, q, args...)
}

func (t sqlTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	ctx = t.ctx(ctx)
	if s := t.cache.get(q); s != nil {
		return t.Tx.StmtContext(ctx, s).QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, q, args...)
}

func (t sqlTx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	ctx = t.ctx(ctx)
	if s := t.cache.get(q); s != nil {
		return t.Tx.StmtContext(ctx, s).QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, q, args...)
}
