package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/daoyue/daoyue"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Errors the store returns besides daoyue.ErrNotFound and daoyue.ErrSlotTaken.
func errConflict(cause error) error {
	return &daoyue.Error{Code: daoyue.ECONFLICT, Key: "error.conflict", Err: cause}
}

func errSlot(cause error) error {
	return &daoyue.Error{Code: daoyue.ESLOT, Key: "error.slot_unavailable", Err: cause}
}

// errMissingRef is a foreign key that points nowhere in the workspace: the
// service, practitioner, booking or user named does not exist there.
func errMissingRef(cause error) error {
	return &daoyue.Error{Code: daoyue.ENOTFOUND, Key: "error.not_found", Err: cause}
}

// errFull is a write the disk had no room for: the transaction rolled back.
func errFull(cause error) error {
	return &daoyue.Error{Code: daoyue.EUNAVAILABLE, Key: "error.storage_full", Err: cause}
}

// errNoDatabase is a statement PostgreSQL did not answer: the server is
// down, restarting or unreachable. Unlike a full disk the outcome of a
// commit cut off this way is unknown, so the message says to look again
// rather than that nothing changed.
func errNoDatabase(cause error) error {
	return &daoyue.Error{Code: daoyue.EUNAVAILABLE, Key: "error.database_unavailable", Err: cause}
}

func errInvalid(key string, cause error) error {
	return &daoyue.Error{Code: daoyue.EINVALID, Key: key, Err: cause}
}

// mapSQLiteErr turns a modernc.org/sqlite error into a daoyue code.
func mapSQLiteErr(err error) error {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return nil
	}
	if e.Code()&0xff == sqlite3.SQLITE_FULL {
		return errFull(err)
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return errConflict(err)
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return errMissingRef(err)
	case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		return errInvalid("error.invalid_input", err)
	}
	return nil
}

// mapPostgresErr turns a pgx error into a daoyue code by SQLSTATE, and a
// lost or refused connection into EUNAVAILABLE.
func mapPostgresErr(err error) error {
	var e *pgconn.PgError
	if !errors.As(err, &e) {
		if connectionLost(err) {
			return errNoDatabase(err)
		}
		return nil
	}
	if strings.HasPrefix(e.Code, "08") { // connection_exception
		return errNoDatabase(err)
	}
	switch e.Code {
	case "57P01", "57P02", "57P03": // admin_shutdown, crash_shutdown, cannot_connect_now (starting, recovering)
		return errNoDatabase(err)
	case "23P01": // exclusion_violation: the reservations' last line of defence
		return errSlot(err)
	case "23505": // unique_violation
		return errConflict(err)
	case "23503": // foreign_key_violation
		return errMissingRef(err)
	case "23514", "23502": // check_violation, not_null_violation
		return errInvalid("error.invalid_input", err)
	case "53100": // disk_full
		return errFull(err)
	}
	return nil
}

// connectionLost reports whether err says the connection to PostgreSQL was
// refused, cut or already closed, rather than a statement having failed.
func connectionLost(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false // the caller gave up, the database did not
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.Is(err, pgconn.ErrConnClosed), errors.As(err, &ne),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return true
	}
	return false
}

// wrap returns err as the *daoyue.Error it stands for: ENOTFOUND for no
// rows, the dialect's mapping for constraint violations, and otherwise the
// driver error with the operation named (EINTERNAL to callers).
func (db *DB) wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var de *daoyue.Error
	if errors.As(err, &de) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return daoyue.ErrNotFound
	}
	if m := db.mapErr(err); m != nil {
		return m
	}
	return fmt.Errorf("store: %s: %w", op, err)
}
