package store

import (
	"database/sql"
	"errors"
	"fmt"

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

// mapPostgresErr turns a pgx error into a daoyue code by SQLSTATE.
func mapPostgresErr(err error) error {
	var e *pgconn.PgError
	if !errors.As(err, &e) {
		return nil
	}
	switch e.Code {
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
