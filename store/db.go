// Package store implements daoyue.Store over database/sql for both SQLite
// (modernc.org/sqlite) and PostgreSQL (pgx stdlib).
//
// One package serves both databases because the SQL is the same: every time
// is stored as BIGINT unix seconds (UTC), booleans and text need nothing
// special, and `$1` placeholders and `INSERT … ON CONFLICT` work in both.
// What differs is kept in a tiny dialect switch: how to connect and
// migrate, the row lock of LockPractitioner, and how driver errors turn into
// *daoyue.Error codes (errors.go). Storing seconds rather than native
// timestamps keeps comparisons exact and identical in both databases and
// avoids the drivers' differing time handling; times are truncated to the
// second.
//
// Migrations are embedded per dialect (migrations/sqlite,
// migrations/postgres) with the same numbering and applied with goose's
// Provider API.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/daoyue/daoyue"
	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // driver "sqlite"
)

// Dialect names returned by (*DB).Dialect.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

//go:embed migrations
var migrations embed.FS

// DB is a daoyue.Store.
type DB struct {
	dialect     string
	w           *sql.DB // writer (SQLite: one connection); the only pool on PostgreSQL
	r           *sql.DB // readers (SQLite: query_only connections); == w on PostgreSQL
	goose       *goose.Provider
	latest      int64 // newest embedded migration
	mapErr      func(error) error
	enqueue     Enqueuer      // set once by SetEnqueuer, before use
	batch       *writeBatch   // SQLite's group commit (batch.go); nil on PostgreSQL
	checkpoints *checkpointer // SQLite's log copier (checkpoint.go); nil on PostgreSQL
	outboxHook  atomic.Pointer[func()]
}

var _ daoyue.Store = (*DB)(nil)

// Open connects to the database named by url and brings its schema up to
// date. A url starting with postgres:// or postgresql:// is PostgreSQL;
// anything else is SQLite: a file path, optionally prefixed with sqlite: or
// file: (the parent folder is created).
func Open(ctx context.Context, url string) (*DB, error) {
	var (
		db  *DB
		err error
	)
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		db, err = openPostgres(ctx, url)
	} else {
		db, err = openSQLite(ctx, url)
	}
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if db.dialect == SQLite {
		// Readers open after the writer has set WAL mode and migrated.
		if err := db.r.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("store: open sqlite readers: %w", err)
		}
	}
	return db, nil
}

// sqlitePath extracts the file path from a SQLite url.
func sqlitePath(url string) (string, error) {
	p := url
	for _, prefix := range []string{"sqlite://", "sqlite:", "file://", "file:"} {
		if strings.HasPrefix(p, prefix) {
			p = strings.TrimPrefix(p, prefix)
			break
		}
	}
	switch {
	case p == "":
		return "", errors.New("store: empty database path")
	case p == ":memory:":
		return "", errors.New("store: an in-memory SQLite database cannot be shared by the writer and reader pools; use a file")
	case strings.ContainsRune(p, '?'):
		return "", fmt.Errorf("store: SQLite path %q must not contain '?': options are fixed by the store", p)
	}
	return p, nil
}

func openSQLite(ctx context.Context, url string) (*DB, error) {
	path, err := sqlitePath(url)
	if err != nil {
		return nil, err
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("store: create database folder: %w", err)
		}
	}
	// The file holds clients' details and sealed tokens: readable by its
	// owner only, whatever the umask. SQLite gives the -wal and -shm files
	// the database file's permissions.
	if f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600); err != nil {
		return nil, fmt.Errorf("store: create database file: %w", err)
	} else {
		f.Close()
	}
	// The writer takes the write lock at BEGIN (_txlock=immediate), so a
	// check-then-insert inside one Update cannot interleave with another.
	// secure_delete overwrites deleted rows, so erased Zoom tokens and
	// purged meeting details do not linger in free pages of the file.
	// temp_store(MEMORY) keeps the savepoints' journal of a batch
	// (batch.go) in memory: in a temporary file it cost a write call for
	// every page a booking touched.
	w, err := openSQLiteDB(path + "?_txlock=immediate" +
		"&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=secure_delete(1)" +
		"&_pragma=temp_store(MEMORY)" +
		"&_pragma=wal_autocheckpoint(" + strconv.Itoa(walBackstopPages) + ")")
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	r, err := openSQLiteDB(path + "?_pragma=busy_timeout(10000)" +
		"&_pragma=foreign_keys(1)&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open sqlite readers: %w", err)
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	db, err := newDB(SQLite, w, r, mapSQLiteErr)
	if err != nil {
		return nil, err
	}
	if db.checkpoints, err = startCheckpointer(path); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open sqlite checkpointer: %w", err)
	}
	return db, nil
}

func openPostgres(ctx context.Context, url string) (*DB, error) {
	p, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	// Idle connections are kept up to the pool's size: a burst that ends
	// would otherwise close those above the idle limit and the next one
	// open them again, each a new PostgreSQL backend (a process forked and
	// torn down). They are closed after a minute unused instead.
	p.SetMaxOpenConns(20)
	p.SetMaxIdleConns(20)
	p.SetConnMaxIdleTime(time.Minute)
	if err := p.PingContext(ctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("store: connect to postgres: %w", err)
	}
	return newDB(Postgres, p, p, mapPostgresErr)
}

func newDB(dialect string, w, r *sql.DB, mapErr func(error) error) (*DB, error) {
	db := &DB{dialect: dialect, w: w, r: r, mapErr: mapErr}
	if dialect == SQLite {
		db.batch = newWriteBatch()
	}
	fsys, err := fs.Sub(migrations, "migrations/"+dialect)
	if err != nil {
		db.Close()
		return nil, err
	}
	gd := goose.DialectSQLite3
	if dialect == Postgres {
		gd = goose.DialectPostgres
	}
	db.goose, err = goose.NewProvider(gd, w, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	src := db.goose.ListSources()
	if len(src) == 0 {
		db.Close()
		return nil, errors.New("store: no embedded migrations")
	}
	db.latest = src[len(src)-1].Version
	return db, nil
}

// migrateLockKey is the pg_advisory_lock key held while migrating.
const migrateLockKey int64 = 0x44616f59756531 // "DaoYue1"

// Migrate applies the embedded migrations not yet applied.
//
// On PostgreSQL it holds a session advisory lock meanwhile, so instances
// starting together migrate one after the other: goose takes no lock of its
// own before it creates its version table, and CREATE EXTENSION is
// database-wide, racing even between schemas. (SQLite's single writer
// connection and BEGIN IMMEDIATE serialise migrations already.)
func (db *DB) Migrate(ctx context.Context) error {
	return db.WithMigrationLock(ctx, func(ctx context.Context) error {
		if _, err := db.goose.Up(ctx); err != nil {
			return fmt.Errorf("store: migrate %s: %w", db.dialect, err)
		}
		return nil
	})
}

// WithMigrationLock runs fn while holding the migration lock, so other
// schema changes (River's tables) serialise with DaoYue's own across
// instances starting together. On SQLite it just runs fn.
func (db *DB) WithMigrationLock(ctx context.Context, fn func(context.Context) error) (err error) {
	if db.dialect == Postgres {
		conn, cerr := db.w.Conn(ctx)
		if cerr != nil {
			return fmt.Errorf("store: migrate: %w", cerr)
		}
		defer conn.Close()
		if _, lerr := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrateLockKey); lerr != nil {
			return fmt.Errorf("store: migrate: take lock: %w", lerr)
		}
		defer func() {
			_, uerr := conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrateLockKey)
			if uerr != nil {
				// Drop the connection so that the session's lock goes with it.
				_ = conn.Raw(func(any) error { return driver.ErrBadConn })
				err = errors.Join(err, fmt.Errorf("store: migrate: release lock: %w", uerr))
			}
		}()
	}
	return fn(ctx)
}

// Scrub makes erased data unrecoverable from the database files: on SQLite
// it checkpoints the write-ahead log and truncates it, since old copies of
// changed pages live there until then. PostgreSQL reclaims dead rows by
// itself (VACUUM); there it does nothing.
func (db *DB) Scrub(ctx context.Context) error {
	if db.dialect != SQLite {
		return nil
	}
	_, err := db.w.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return err
}

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect }

// SQL returns the writer pool (for a job queue that must share the
// database's write transactions).
func (db *DB) SQL() *sql.DB { return db.w }

// ReadSQL returns the reader pool (SQLite: query_only connections beside
// the one writer; PostgreSQL: the same pool as SQL), for reads outside a
// transaction that should not wait for the writer.
func (db *DB) ReadSQL() *sql.DB { return db.r }

// Ping checks that the database answers and that its schema is at the
// newest embedded migration.
func (db *DB) Ping(ctx context.Context) error {
	var v sql.NullInt64
	err := db.r.QueryRowContext(ctx, "SELECT max(version_id) FROM goose_db_version").Scan(&v)
	if err != nil {
		return fmt.Errorf("store: %s not ready (is the schema migrated?): %w", db.dialect, err)
	}
	if v.Int64 != db.latest {
		return fmt.Errorf("store: %s schema is at version %d, this build needs %d: run `daoyue migrate`", db.dialect, v.Int64, db.latest)
	}
	return nil
}

// Close closes the pools.
func (db *DB) Close() error {
	var err error
	if db.checkpoints != nil {
		err = db.checkpoints.close()
	}
	err = errors.Join(err, db.w.Close())
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// Update runs fn in a write transaction and commits when it returns nil.
// On SQLite write transactions run one at a time, those that wait for the
// writer together (batch.go); do not nest Update.
func (db *DB) Update(ctx context.Context, fn func(daoyue.Tx) error) error {
	if db.batch != nil {
		return db.updateBatched(ctx, fn)
	}
	return db.run(ctx, db.w, nil, fn)
}

// UpdateSteps runs steps in order, each kept whatever the later ones do
// (daoyue.Store). SQLite runs them in one transaction, each step after the
// first in a savepoint: one turn of the one writer and one commit instead
// of one each. PostgreSQL runs each in its own transaction, so that a
// step's row locks (a booking's count holds its studio's counter rows) are
// not held through the next.
func (db *DB) UpdateSteps(ctx context.Context, steps ...func(daoyue.Tx) error) error {
	if db.dialect != SQLite {
		for _, step := range steps {
			if err := db.Update(ctx, step); err != nil {
				return err
			}
		}
		return nil
	}
	var stepErr error
	err := db.Update(ctx, func(dt daoyue.Tx) error {
		for i, step := range steps {
			if i == 0 {
				if err := step(dt); err != nil {
					return err // nothing kept: it was the first
				}
				continue
			}
			done, err := dt.(*tx).savepoint(ctx, func() error { return step(dt) })
			if !done {
				return err // the savepoint itself failed: the transaction is lost
			}
			if err != nil {
				stepErr = err
				return nil // commit the steps before it
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return stepErr
}

// SetOutboxHook has fn called after every commit that queued a message to
// a client (Tx.AddOutbox with status queued): the outbox's sender wakes
// instead of waiting for its next look. fn must not block.
func (db *DB) SetOutboxHook(fn func()) { db.outboxHook.Store(&fn) }

// committed tells what t's commit set in motion.
func (db *DB) committed(t *tx) {
	if !t.queuedMail {
		return
	}
	if fn := db.outboxHook.Load(); fn != nil && *fn != nil {
		(*fn)()
	}
}

// lostConnection returns a PostgreSQL connection lost inside fn, by a path
// that did not go through wrap, as the EUNAVAILABLE it is; any other error
// as it is.
func (db *DB) lostConnection(err error) error {
	var de *daoyue.Error
	if db.dialect == Postgres && !errors.As(err, &de) && connectionLost(err) {
		return errNoDatabase(err)
	}
	return err
}

// takeConn takes a connection of pool for work that, once begun, runs to
// its end: a caller that gives up (a visitor closing the page) stops
// waiting for the connection, but the returned context, for the work on
// it, keeps ctx's values and deadline and not its cancellation. A
// PostgreSQL statement cut off midway could leave its pooled connection
// broken for the next request, which then failed with "driver: bad
// connection" (a 503), and a commit cut off has an unknown outcome anyway.
// done gives the connection back.
func takeConn(ctx context.Context, pool *sql.DB) (conn *sql.Conn, work context.Context, done func(), err error) {
	conn, err = pool.Conn(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	work, cancel := context.WithoutCancel(ctx), context.CancelFunc(func() {})
	if dl, ok := ctx.Deadline(); ok {
		work, cancel = context.WithDeadline(work, dl)
	}
	return conn, work, func() { cancel(); conn.Close() }, nil
}

// View runs fn in a read-only transaction.
func (db *DB) View(ctx context.Context, fn func(daoyue.Tx) error) error {
	return db.run(ctx, db.r, &sql.TxOptions{ReadOnly: true}, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, fn func(daoyue.Tx) error) (err error) {
	// Once begun, the transaction runs to its end (takeConn); its
	// statements too (sqlTx.detach).
	conn, ctx, release, err := takeConn(ctx, pool)
	if err != nil {
		return db.wrap("begin", err)
	}
	defer release()
	stx, err := conn.BeginTx(ctx, opts)
	if err != nil {
		return db.wrap("begin", err)
	}
	done := false
	defer func() {
		if !done {
			_ = stx.Rollback() // fn panicked
		}
	}()
	t := &tx{tx: sqlTx{Tx: stx, detach: true}, db: db, write: opts == nil || !opts.ReadOnly}
	if err := fn(t); err != nil {
		done = true
		_ = stx.Rollback()
		return db.lostConnection(err)
	}
	done = true
	if err := stx.Commit(); err != nil {
		return db.wrap("commit", err)
	}
	db.committed(t)
	return nil
}
