package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"strings"

	"modernc.org/sqlite"
)

// openSQLiteDB opens a pool whose connections keep the statements they run
// prepared, by query text: every query (the store's, and River's, which
// take the *sql.Tx) is parsed once per connection instead of on every
// call. Parsing was a quarter of the CPU of a month's slots on SQLite,
// about 40% of a meeting sync's, and River's job insert (a long INSERT …
// SELECT over json_each) was parsed on every booking. A connection is
// used by one goroutine at a time, so the cache needs no lock and never
// waits for the pool.
func openSQLiteDB(dsn string) (*sql.DB, error) {
	c, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(stmtConnector{c}), nil
}

type stmtConnector struct{ driver.Connector }

func (c stmtConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &stmtConn{Conn: conn, stmts: map[string]*connStmt{}}, nil
}

// maxConnStmts bounds each connection's statements: queries built with a
// variable number of placeholders could otherwise grow it without end.
const maxConnStmts = 256

// stmtConn is a modernc connection with its own prepared statements.
// database/sql uses a connection from one goroutine at a time, so it needs
// no lock.
type stmtConn struct {
	driver.Conn
	stmts map[string]*connStmt
}

// connStmt is a prepared statement and whether rows of it are still open:
// running it again meanwhile would reset the cursor under them, so that
// run takes the uncached path.
type connStmt struct {
	s    driver.Stmt
	busy bool
}

var errNoContext = errors.New("store: sqlite connection without context methods")

// cached returns q's statement when it may run now (nil: run q as text).
func (c *stmtConn) cached(ctx context.Context, q string) (*connStmt, error) {
	if s, ok := c.stmts[q]; ok {
		if s.busy {
			return nil, nil
		}
		return s, nil
	}
	if len(c.stmts) >= maxConnStmts || !cacheable(q) {
		return nil, nil
	}
	s, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	cs := &connStmt{s: s}
	c.stmts[q] = cs
	return cs, nil
}

func (c *stmtConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	s, err := c.cached(ctx, q)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.Conn.(driver.ExecerContext).ExecContext(ctx, q, args)
	}
	return s.s.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *stmtConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	s, err := c.cached(ctx, q)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.Conn.(driver.QueryerContext).QueryContext(ctx, q, args)
	}
	r, err := s.s.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	s.busy = true
	return &connRows{Rows: r, s: s}, nil
}

// connRows frees its statement for the next run when closed.
type connRows struct {
	driver.Rows
	s *connStmt
}

func (r *connRows) Close() error {
	r.s.busy = false
	return r.Rows.Close()
}

func (c *stmtConn) Close() error {
	for _, s := range c.stmts {
		s.s.Close()
	}
	c.stmts = nil
	return c.Conn.Close()
}

// The rest of what database/sql asks of a connection, passed through.

func (c *stmtConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, q)
	}
	return nil, errNoContext
}

func (c *stmtConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	return nil, errNoContext
}

func (c *stmtConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *stmtConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *stmtConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// cacheable reports whether q is worth keeping prepared: not transaction
// control or a pragma, which always run as text.
func cacheable(q string) bool {
	t := strings.TrimSpace(strings.ToUpper(q))
	return !strings.HasPrefix(t, "BEGIN") && !strings.HasPrefix(t, "COMMIT") && !strings.HasPrefix(t, "ROLLBACK") &&
		!strings.HasPrefix(t, "PRAGMA") && !strings.HasPrefix(t, "SAVEPOINT") && !strings.HasPrefix(t, "RELEASE")
}
