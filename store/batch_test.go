package store

import (
	"context"
	"errors"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
)

// Updates that wait for SQLite's writer run together in one transaction,
// and each keeps the outcome it would have had alone: a failing one, a
// panicking one and one breaking a constraint leave nothing behind and
// take nothing of the others with them; one whose caller gives up while it
// waits never runs; one whose caller gives up while it runs is not cut
// off halfway (nor the batch with it).
func TestSQLiteGroupCommit(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "daoyue.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE batch_t (n INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	insert := func(ctx context.Context, dt daoyue.Tx, n int) error {
		_, err := dt.(*tx).exec(ctx, "insert", `INSERT INTO batch_t (n) VALUES ($1)`, n)
		return err
	}
	type outcome struct {
		name     string
		err      error
		panicked any
	}
	out := make(chan outcome, 10)
	var waiting func(int)
	queued := 0
	// update starts an Update and, once the writer is held, waits until
	// it is queued, so that the batch's order is the order of the calls.
	update := func(ctx context.Context, name string, fn func(daoyue.Tx) error) {
		go func() {
			o := outcome{name: name}
			defer func() {
				o.panicked = recover()
				out <- o
			}()
			o.err = db.Update(ctx, fn)
		}()
		if name != "a" {
			queued++
			waiting(queued)
		}
	}
	waiting = func(n int) { t.Helper(); waitForQueue(t, db, n) }

	// A holds the writer until the others wait.
	hold := make(chan struct{})
	update(ctx, "a", func(tx daoyue.Tx) error {
		if err := insert(ctx, tx, 1); err != nil {
			return err
		}
		<-hold
		return nil
	})
	waiting(0)
	for deadline := time.Now().Add(10 * time.Second); len(db.batch.turn) == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("a never took the writer")
		}
	}
	errMine := errors.New("refused by its own check")
	bctx, bcancel := context.WithCancel(ctx)
	update(bctx, "b", func(tx daoyue.Tx) error {
		bcancel() // its caller goes away while it runs
		if err := insert(bctx, tx, 2); err != nil {
			return err
		}
		return insert(bctx, tx, 3)
	})
	update(ctx, "c", func(tx daoyue.Tx) error {
		if err := insert(ctx, tx, 10); err != nil {
			return err
		}
		return errMine
	})
	update(ctx, "d", func(tx daoyue.Tx) error {
		if err := insert(ctx, tx, 11); err != nil {
			return err
		}
		panic("d broke")
	})
	update(ctx, "e", func(tx daoyue.Tx) error {
		if err := insert(ctx, tx, 12); err != nil {
			return err
		}
		return insert(ctx, tx, 2) // b's row: a conflict
	})
	hctx, hcancel := context.WithCancel(ctx)
	update(hctx, "h", func(tx daoyue.Tx) error { return insert(hctx, tx, 13) })
	update(ctx, "g", func(tx daoyue.Tx) error { return insert(ctx, tx, 4) })
	hcancel()
	if o := <-out; o.name != "h" || !errors.Is(o.err, context.Canceled) {
		t.Fatalf("h, cancelled while waiting: %+v", o)
	}
	waiting(5)
	runs := func() int {
		db.batch.mu.Lock()
		defer db.batch.mu.Unlock()
		return db.batch.runs
	}
	runsBefore := runs()
	close(hold)

	got := map[string]outcome{}
	for range 6 {
		o := <-out
		got[o.name] = o
	}
	for _, name := range []string{"a", "b", "g"} {
		if o := got[name]; o.err != nil || o.panicked != nil {
			t.Errorf("%s: %+v (%v), want committed", name, o, o.err)
		}
	}
	if o := got["c"]; !errors.Is(o.err, errMine) {
		t.Errorf("c: %+v, want its own error", o)
	}
	if o := got["d"]; o.panicked != "d broke" {
		t.Errorf("d: %+v, want its panic raised to its caller", o)
	}
	if o := got["e"]; daoyue.ErrorCode(o.err) != daoyue.ECONFLICT {
		t.Errorf("e: %+v, want a conflict", o)
	}
	if n := runs() - runsBefore; n != 1 {
		t.Errorf("the five waiting updates ran in %d transactions, want 1", n)
	}
	rows, err := db.r.QueryContext(ctx, `SELECT n FROM batch_t ORDER BY n`)
	if err != nil {
		t.Fatal(err)
	}
	var ns []int
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		ns = append(ns, n)
	}
	rows.Close()
	if want := []int{1, 2, 3, 4}; !slices.Equal(ns, want) {
		t.Errorf("rows %v, want %v (a, b, g; nothing of c, d, e, h)", ns, want)
	}

	// Alone, an Update runs as before, and a cancelled one does not start.
	cctx, ccancel := context.WithCancel(ctx)
	ccancel()
	if err := db.Update(cctx, func(tx daoyue.Tx) error { return insert(ctx, tx, 20) }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled update: %v", err)
	}
	if err := db.Update(ctx, func(tx daoyue.Tx) error { return insert(ctx, tx, 21) }); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM batch_t WHERE n >= 20`).Scan(&n); err != nil || n != 1 {
		t.Errorf("after a cancelled and a plain update: %d rows (%v), want 1", n, err)
	}

	// An fn that leaves by runtime.Goexit (a test's FailNow) gives the
	// writer back and leaves nothing behind.
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		_ = db.Update(ctx, func(tx daoyue.Tx) error {
			if err := insert(ctx, tx, 30); err != nil {
				return err
			}
			runtime.Goexit()
			return nil
		})
	}()
	<-exited
	if err := db.Update(ctx, func(tx daoyue.Tx) error { return insert(ctx, tx, 31) }); err != nil {
		t.Fatal(err)
	}
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM batch_t WHERE n >= 30`).Scan(&n); err != nil || n != 1 {
		t.Errorf("after an fn that called Goexit: %d rows (%v), want 1 (the next update's)", n, err)
	}
}

// Steps inside a batch: their savepoints nest in the batch's (one name
// for both; the innermost is undone), so a failing later step takes only
// its own writes, not its first step's, nor the other Updates'.
func TestSQLiteStepsInABatch(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "daoyue.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE batch_t (n INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	insert := func(n int) func(daoyue.Tx) error {
		return func(dt daoyue.Tx) error {
			_, err := dt.(*tx).exec(ctx, "insert", `INSERT INTO batch_t (n) VALUES ($1)`, n)
			return err
		}
	}
	queued := func(n int) { t.Helper(); waitForQueue(t, db, n) }
	hold, held := make(chan struct{}), make(chan struct{})
	errs := make(chan error, 3)
	go func() {
		errs <- db.Update(ctx, func(dt daoyue.Tx) error { close(held); <-hold; return insert(1)(dt) })
	}()
	<-held
	errTaken := errors.New("taken")
	go func() {
		errs <- db.UpdateSteps(ctx, insert(2), func(dt daoyue.Tx) error {
			if err := insert(3)(dt); err != nil {
				return err
			}
			return errTaken
		})
	}()
	queued(1)
	go func() { errs <- db.Update(ctx, insert(4)) }()
	queued(2)
	close(hold)
	var failed int
	for range 3 {
		if err := <-errs; errors.Is(err, errTaken) {
			failed++
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if failed != 1 {
		t.Errorf("%d updates saw the step's error, want 1", failed)
	}
	var ns []int
	rows, err := db.r.QueryContext(ctx, `SELECT n FROM batch_t ORDER BY n`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		ns = append(ns, n)
	}
	rows.Close()
	if want := []int{1, 2, 4}; !slices.Equal(ns, want) {
		t.Errorf("rows %v, want %v", ns, want)
	}
}

// waitForQueue waits up to 10 seconds until n Updates wait for the writer.
func waitForQueue(t *testing.T, db *DB, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		db.batch.mu.Lock()
		w := len(db.batch.wait)
		db.batch.mu.Unlock()
		if w == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d updates waiting, want %d", w, n)
		}
	}
}
