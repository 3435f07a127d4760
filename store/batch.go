package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"sync"

	"github.com/daoyue/daoyue"
)

// writeBatch is SQLite's group commit. SQLite has one writer, and a commit
// writes every page the transaction touched to the WAL: a quarter of a
// booking's CPU. Updates that arrive while one is running wait; the next to
// take the writer runs all that are waiting in one transaction, each in its
// own savepoint (one that fails is rolled back alone, as if it had run by
// itself), and commits once. Nobody waits for a batch to fill: under no load
// a batch is one Update, run exactly as before.
type writeBatch struct {
	turn chan struct{} // held while a batch runs
	mu   sync.Mutex
	wait []*writeReq
	runs int // batches run (tests)
}

type writeReq struct {
	ctx      context.Context
	fn       func(daoyue.Tx) error
	done     chan struct{}
	err      error
	panicked bool
	panicVal any
}

func newWriteBatch() *writeBatch { return &writeBatch{turn: make(chan struct{}, 1)} }

// updateBatched runs fn in the next batch and returns once that batch has
// committed (or fn failed). A panic in fn is raised again here, in its
// caller's goroutine, after its savepoint was rolled back.
func (db *DB) updateBatched(ctx context.Context, fn func(daoyue.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return db.wrap("begin", err)
	}
	b := db.batch
	r := &writeReq{ctx: ctx, fn: fn, done: make(chan struct{})}
	b.mu.Lock()
	b.wait = append(b.wait, r)
	b.mu.Unlock()
	select {
	case <-r.done:
	case b.turn <- struct{}{}:
		// Whoever held the turn before finished its whole batch, so r is
		// either done or still waiting, and then it is in this batch.
		db.lead()
		<-r.done
	case <-ctx.Done():
		b.mu.Lock()
		if i := slices.Index(b.wait, r); i >= 0 {
			b.wait = slices.Delete(b.wait, i, i+1)
			b.mu.Unlock()
			return db.wrap("begin", ctx.Err())
		}
		b.mu.Unlock()
		<-r.done // already taken into a running batch
	}
	if r.panicked {
		panic(r.panicVal)
	}
	return r.err
}

// lead runs every waiting Update as one batch, holding the turn.
func (db *DB) lead() {
	b := db.batch
	defer func() { <-b.turn }()
	b.mu.Lock()
	batch := b.wait
	b.wait = nil
	if len(batch) > 0 {
		b.runs++
	}
	b.mu.Unlock()
	if len(batch) > 0 {
		db.runBatch(batch)
	}
}

var errBatchAbandoned = errors.New("store: a write transaction was abandoned (runtime.Goexit in an Update)")

// runBatch runs batch in one write transaction and tells each its outcome.
func (db *DB) runBatch(batch []*writeReq) {
	var stx *sql.Tx
	finished := false
	defer func() {
		if !finished {
			// An fn called runtime.Goexit (a test's FailNow), which no
			// recover stops: nothing of the batch stays, and the writer
			// and the turn are given back (lead's defer).
			if stx != nil {
				_ = stx.Rollback()
			}
			for _, r := range batch {
				if r.err == nil && !r.panicked {
					r.err = errBatchAbandoned
				}
			}
		}
		for _, r := range batch {
			close(r.done)
		}
	}()
	finished = db.runBatchTx(batch, &stx)
}

// runBatchTx is runBatch's work; it returns true unless cut off.
func (db *DB) runBatchTx(batch []*writeReq, out **sql.Tx) bool {
	// The transaction outlives any one caller: a caller giving up must not
	// roll back the others' work (an interrupted write statement aborts
	// SQLite's whole transaction), so statements run detached from the
	// callers' cancellation, which is checked before each fn instead.
	stx, err := db.w.BeginTx(context.Background(), nil)
	if err != nil {
		for _, r := range batch {
			r.err = db.wrap("begin", err)
		}
		return true
	}
	*out = stx
	t := &tx{tx: sqlTx{Tx: stx, detach: true}, db: db, write: true}
	multi := len(batch) > 1
	var ok []*writeReq
	fail := func(err error) { // the transaction is lost: nothing of it stays
		_ = stx.Rollback()
		for _, r := range ok {
			r.err = err
		}
	}
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.err = db.wrap("begin", err)
			continue
		}
		if !multi {
			runOne(t, r)
			if r.failed() {
				_ = stx.Rollback()
				return true
			}
			ok = append(ok, r)
			continue
		}
		done, err := t.savepoint(context.Background(), func() error {
			if runOne(t, r); r.failed() {
				return errUndone
			}
			return nil
		})
		if !done {
			for _, r := range batch[i:] {
				if !r.failed() {
					r.err = err
				}
			}
			fail(err)
			return true
		}
		if !r.failed() {
			ok = append(ok, r)
		}
	}
	if len(ok) == 0 {
		_ = stx.Rollback()
		return true
	}
	if err := stx.Commit(); err != nil {
		fail(db.wrap("commit", err))
		return true
	}
	db.committed(t)
	return true
}

// errUndone asks savepoint to undo an fn that failed (its own error, or
// its panic, is kept in its writeReq).
var errUndone = errors.New("store: undone")

func (r *writeReq) failed() bool { return r.err != nil || r.panicked }

// runOne runs r.fn, keeping a panic for r's caller.
func runOne(t *tx, r *writeReq) {
	defer func() {
		if v := recover(); v != nil {
			r.panicked, r.panicVal = true, v
		}
	}()
	r.err = r.fn(t)
}
