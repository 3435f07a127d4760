package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
)

// tx implements daoyue.Tx over one *sql.Tx.
type tx struct {
	tx         sqlTx
	db         *DB
	queuedMail bool // a message was queued: the outbox's sender is told after the commit
	write      bool // a write transaction: reads of bookings lock them (forChange)
}

// forChange ends a query of rows read to be changed (bookings, payments;
// of is the table's name or alias in the query): in a PostgreSQL write
// transaction it locks the rows it returns, and only them (not a joined
// workspace), as the UPDATE to come would: FOR NO KEY UPDATE, which a
// foreign key's check (a payment or reservation written for the booking)
// does not wait for. SQLite's one writer already serialises every write
// transaction.
func (t *tx) forChange(of string) string {
	if t.write && t.db.dialect == Postgres {
		return ` FOR NO KEY UPDATE OF ` + of
	}
	return ""
}

var _ daoyue.Tx = (*tx)(nil)

func (t *tx) exec(ctx context.Context, op, q string, args ...any) (sql.Result, error) {
	res, err := t.tx.ExecContext(ctx, q, args...)
	return res, t.db.wrap(op, err)
}

// savepoint runs fn in a savepoint and undoes its writes when it fails.
// done is false when the savepoint itself could not be taken, undone or
// released (err says why): then the transaction must not go on. Nested
// savepoints may share the name: ROLLBACK TO and RELEASE take the
// innermost (a batch's Update, batch.go, may itself run steps).
func (t *tx) savepoint(ctx context.Context, fn func() error) (done bool, err error) {
	if _, err := t.tx.ExecContext(ctx, "SAVEPOINT step"); err != nil {
		return false, t.db.wrap("savepoint", err)
	}
	if err := fn(); err != nil {
		_, rerr := t.tx.ExecContext(ctx, "ROLLBACK TO step")
		if rerr == nil {
			_, rerr = t.tx.ExecContext(ctx, "RELEASE step")
		}
		if rerr != nil {
			return false, t.db.wrap("rollback to savepoint", rerr)
		}
		return true, err
	}
	if _, err := t.tx.ExecContext(ctx, "RELEASE step"); err != nil {
		return false, t.db.wrap("release savepoint", err)
	}
	return true, nil
}

// execOne runs a statement that must touch a row: none is ENOTFOUND.
func (t *tx) execOne(ctx context.Context, op, q string, args ...any) error {
	res, err := t.exec(ctx, op, q, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return t.db.wrap(op, err)
	}
	if n == 0 {
		return daoyue.ErrNotFound
	}
	return nil
}

func (t *tx) query(ctx context.Context, op, q string, args ...any) (*sql.Rows, error) {
	rows, err := t.tx.QueryContext(ctx, q, args...)
	return rows, t.db.wrap(op, err)
}

// scanner is *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// collect scans every row with scan.
// collectStrings reads a one-column result of strings (ids).
func collectStrings(t *tx, op string, rows *sql.Rows) ([]string, error) {
	ps, err := collect(t, op, rows, func(s scanner) (*string, error) {
		var v string
		return &v, s.Scan(&v)
	})
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out, err
}

func collect[T any](t *tx, op string, rows *sql.Rows, scan func(scanner) (*T, error)) ([]*T, error) {
	defer rows.Close()
	var out []*T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, t.db.wrap(op, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, t.db.wrap(op, err)
	}
	return out, nil
}

// params numbers query arguments: p.add(v) appends v and returns "$n".
type params []any

func (p *params) add(v any) string {
	*p = append(*p, v)
	return "$" + strconv.Itoa(len(*p))
}

// literal quotes a domain constant (a status, a kind) as an SQL string
// literal. Sets of statuses are written into statements rather than bound
// as arguments, so each statement's text stays what it was with the values
// spelled out, and PostgreSQL needs no type for an extra parameter.
func literal[S ~string](s S) string {
	return `'` + strings.ReplaceAll(string(s), `'`, `''`) + `'`
}

// inSet returns "col = 'a'" for one value, "col IN ('a', 'b', …)" for
// more, FALSE for none.
func inSet[S ~string](col string, set []S) string {
	switch len(set) {
	case 0:
		return `FALSE`
	case 1:
		return col + ` = ` + literal(set[0])
	}
	out := make([]string, len(set))
	for i, v := range set {
		out[i] = literal(v)
	}
	return col + ` IN (` + strings.Join(out, ", ") + `)`
}

// Times are stored as BIGINT unix seconds, UTC.

func unix(t time.Time) int64 { return t.Unix() }

func fromUnix(s int64) time.Time { return time.Unix(s, 0).UTC() }

func nullUnix(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.Unix(), Valid: true}
}

func fromNullUnix(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := fromUnix(n.Int64)
	return &t
}

// nullString stores "" as NULL (for unique columns where "" means none).
func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// pageLimit applies the list default (50) and maximum (200).
func pageLimit(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 200:
		return 200
	}
	return n
}

// column is one column of a row with the value to store in it. Statements
// built from a []column bind the values as they name the columns, so no
// placeholder is numbered by hand and none can drift from its column.
type column struct {
	name  string
	value any
}

// columnNames returns the names "a, b, …", each prefixed with prefix ("b.").
func columnNames(cols []column, prefix string) string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = prefix + c.name
	}
	return strings.Join(out, ", ")
}

// except returns cols without the columns named. A name that is not a
// column panics: a misspelt name would otherwise leave that column written.
func except(cols []column, names ...string) []column {
	var out []column
	for _, c := range cols {
		if !slices.Contains(names, c.name) {
			out = append(out, c)
		}
	}
	if len(out) != len(cols)-len(names) {
		panic(fmt.Sprintf("store: except %q: not all are columns of %s", names, columnNames(cols, "")))
	}
	return out
}

// values binds each column's value and returns "$n, $n+1, …".
func (p *params) values(cols []column) string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = p.add(c.value)
	}
	return strings.Join(out, ", ")
}

// set binds each column's value and returns "a = $n, b = $n+1, …".
func (p *params) set(cols []column) string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.name + " = " + p.add(c.value)
	}
	return strings.Join(out, ", ")
}

// insert returns "INSERT INTO table (a, b, …) VALUES ($1, $2, …)" with its
// arguments.
func insert(table string, cols []column) (string, params) {
	var a params
	vals := a.values(cols)
	return `INSERT INTO ` + table + ` (` + columnNames(cols, "") + `) VALUES (` + vals + `)`, a
}

// listNewestFirst pages a table with a seq column newest first: q selects
// seq first and ends in its WHERE clause; the cursor is the last seq seen.
func listNewestFirst[T any](ctx context.Context, t *tx, op, q string, a params, cursor string, limit int,
	scan func(*sql.Rows) (*T, int64, error)) ([]*T, string, error) {
	if cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(cursor)
		seq, perr := strconv.ParseInt(string(raw), 10, 64)
		if err != nil || perr != nil {
			return nil, "", errInvalid("error.cursor", err)
		}
		q += ` AND seq < ` + a.add(seq)
	}
	limit = pageLimit(limit)
	rows, err := t.query(ctx, op, q+` ORDER BY seq DESC LIMIT `+a.add(limit+1), a...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var (
		out  []*T
		seqs []int64
	)
	for rows.Next() {
		v, seq, err := scan(rows)
		if err != nil {
			return nil, "", t.db.wrap(op, err)
		}
		out = append(out, v)
		seqs = append(seqs, seq)
	}
	if err := rows.Err(); err != nil {
		return nil, "", t.db.wrap(op, err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(seqs[limit-1], 10)))
	}
	return out, next, nil
}
