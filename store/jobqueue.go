package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/daoyue/daoyue"
)

// The job queue: background jobs enqueued in the transaction of the
// change that asks for them.

// Enqueuer adds a job inside the transaction tx (a River client's InsertTx).
type Enqueuer func(ctx context.Context, tx *sql.Tx, job daoyue.Job) error

// SetEnqueuer makes fn the store's job queue: Tx.Enqueue calls it with the
// transaction's *sql.Tx, so the job commits or rolls back with the change.
// Set it once at start-up, before the first transaction; it is read without
// locking.
func (db *DB) SetEnqueuer(fn func(ctx context.Context, tx *sql.Tx, job daoyue.Job) error) {
	db.enqueue = fn
}

// Enqueue hands job to the enqueuer in this transaction. Without one
// (SetEnqueuer not called) it fails with EINTERNAL rather than drop the job.
func (t *tx) Enqueue(ctx context.Context, job daoyue.Job) error {
	if t.db.enqueue == nil {
		return &daoyue.Error{Code: daoyue.EINTERNAL, Key: "error.internal", Err: errNoQueue}
	}
	if job == nil {
		return &daoyue.Error{Code: daoyue.EINTERNAL, Key: "error.internal", Err: errNilJob}
	}
	if err := t.db.enqueue(t.tx.ctx(ctx), t.tx.Tx, job); err != nil {
		return t.db.wrap("enqueue "+job.JobKind(), err) // a lost connection is EUNAVAILABLE here too
	}
	return nil
}

var (
	errNoQueue = errors.New("store: no job queue configured")
	errNilJob  = errors.New("store: enqueue of a nil job")
)
