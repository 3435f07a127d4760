package storetest

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/store"
)

// RunDB runs the part of the suite that needs the concrete *store.DB: the
// job enqueuer behind Tx.Enqueue, and what only raw SQL reaches. It sets
// and clears db's enqueuer, so nothing else may use db's enqueuer while it
// runs.
func RunDB(t *testing.T, db *store.DB) {
	tests := []struct {
		name string
		fn   func(e *env, db *store.DB)
	}{
		{"EnqueueWithoutQueue", testEnqueueWithoutQueue},
		{"Enqueue", testEnqueue},
		{"ZoomConnectionCascade", testZoomConnectionCascade},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			tc.fn(&env{t: t, s: db, ctx: ctx}, db)
		})
	}
}

func testEnqueueWithoutQueue(e *env, db *store.DB) {
	t, ctx := e.t, e.ctx
	db.SetEnqueuer(nil)
	w := e.world()
	b := newBooking(w.sa, w.pa.ID, at(1, 0), daoyue.StatusConfirmed)
	err := e.try(func(tx daoyue.Tx) error {
		wantNoErr(t, "create", tx.CreateBooking(ctx, b))
		return tx.Enqueue(ctx, daoyue.SyncMeetingJob{WorkspaceID: b.WorkspaceID, BookingID: b.ID})
	})
	wantCode(t, "enqueue without a queue", err, daoyue.EINTERNAL)
	var de *daoyue.Error
	if !errors.As(err, &de) {
		t.Errorf("enqueue without a queue: %T, want *daoyue.Error", err)
	}
	if err == nil || !strings.Contains(err.Error(), "no job queue configured") {
		t.Errorf("enqueue without a queue: %v, want the cause named", err)
	}
	e.view(func(tx daoyue.Tx) error {
		_, err := tx.Booking(ctx, w.a.ID, b.ID)
		wantCode(t, "booking of the failed enqueue", err, daoyue.ENOTFOUND)
		return nil
	})
}

func testEnqueue(e *env, db *store.DB) {
	t, ctx := e.t, e.ctx
	w := e.world()
	// A scratch table stands for the job queue's.
	table := "scratch_jobs_" + rnd()
	if _, err := db.SQL().ExecContext(ctx, `CREATE TABLE `+table+
		` (kind TEXT NOT NULL, booking_id TEXT NOT NULL, saw_booking INTEGER NOT NULL)`); err != nil {
		t.Fatalf("create scratch table: %v", err)
	}
	t.Cleanup(func() { _, _ = db.SQL().ExecContext(context.Background(), `DROP TABLE `+table) })
	errBoom := errors.New("queue is full")
	var (
		mu   sync.Mutex
		txs  []*sql.Tx
		boom = map[string]bool{}
	)
	db.SetEnqueuer(func(ctx context.Context, tx *sql.Tx, job daoyue.Job) error {
		mu.Lock()
		txs = append(txs, tx)
		fail := false
		if j, ok := job.(daoyue.SyncMeetingJob); ok {
			fail = boom[j.BookingID]
		}
		mu.Unlock()
		if fail {
			return errBoom
		}
		j := job.(daoyue.SyncMeetingJob)
		// The booking created earlier in the same transaction is visible
		// only through that transaction.
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM bookings WHERE id = $1`, j.BookingID).Scan(&n); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (kind, booking_id, saw_booking) VALUES ($1, $2, $3)`,
			job.JobKind(), j.BookingID, n)
		return err
	})
	t.Cleanup(func() { db.SetEnqueuer(nil) })
	jobs := func() map[string]int {
		t.Helper()
		rows, err := db.SQL().QueryContext(ctx, `SELECT kind, booking_id, saw_booking FROM `+table)
		if err != nil {
			t.Fatalf("read scratch table: %v", err)
		}
		defer rows.Close()
		out := map[string]int{}
		for rows.Next() {
			var kind, id string
			var n int
			if err := rows.Scan(&kind, &id, &n); err != nil {
				t.Fatal(err)
			}
			out[kind+" "+id] = n
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	enqueueWith := func(b *daoyue.Booking, ret error) error {
		return e.s.Update(ctx, func(tx daoyue.Tx) error {
			if err := tx.CreateBooking(ctx, b); err != nil {
				return err
			}
			if err := tx.Enqueue(ctx, daoyue.SyncMeetingJob{WorkspaceID: b.WorkspaceID, BookingID: b.ID}); err != nil {
				return err
			}
			return ret
		})
	}

	kept := newBooking(w.sa, w.pa.ID, at(1, 0), daoyue.StatusConfirmed)
	wantNoErr(t, "enqueue", enqueueWith(kept, nil))
	wantEqual(t, "job committed with the change", jobs(), map[string]int{"meeting_sync " + kept.ID: 1})
	if len(txs) != 1 || txs[0] == nil {
		t.Fatalf("enqueuer called with %v, want one transaction", txs)
	}
	if err := txs[0].Commit(); !errors.Is(err, sql.ErrTxDone) {
		t.Errorf("the enqueuer's transaction after Update: Commit = %v, want sql.ErrTxDone (Update's own)", err)
	}

	dropped := newBooking(w.sa, w.pa.ID, at(3, 0), daoyue.StatusConfirmed)
	wantEqual(t, "rolled back", enqueueWith(dropped, errRollback), errRollback)
	wantEqual(t, "job rolled back with the change", jobs(), map[string]int{"meeting_sync " + kept.ID: 1})

	failed := newBooking(w.sa, w.pa.ID, at(5, 0), daoyue.StatusConfirmed)
	mu.Lock()
	boom[failed.ID] = true
	mu.Unlock()
	err := enqueueWith(failed, nil)
	if !errors.Is(err, errBoom) {
		t.Errorf("enqueuer failure: %v, want it wrapped", err)
	}
	e.view(func(tx daoyue.Tx) error {
		for _, b := range []*daoyue.Booking{dropped, failed} {
			_, err := tx.Booking(ctx, w.a.ID, b.ID)
			wantCode(t, "booking rolled back", err, daoyue.ENOTFOUND)
		}
		return nil
	})
	mu.Lock()
	defer mu.Unlock()
	if len(txs) != 3 || txs[0] == txs[1] || txs[1] == txs[2] {
		t.Errorf("enqueuer transactions %v, want one per Update", txs)
	}
}

// Deleting a practitioner (which the app never does) deletes its connection.
func testZoomConnectionCascade(e *env, db *store.DB) {
	t, ctx := e.t, e.ctx
	w := e.world()
	p := e.practitioner(w.a, "Leaving")
	c := e.zoomConn(p)
	if _, err := db.SQL().ExecContext(ctx, `DELETE FROM practitioners WHERE id = $1`, p.ID); err != nil {
		t.Fatalf("delete practitioner: %v", err)
	}
	e.view(func(tx daoyue.Tx) error {
		_, err := tx.ZoomConnectionByID(ctx, c.ID)
		wantCode(t, "connection of a deleted practitioner", err, daoyue.ENOTFOUND)
		return nil
	})
}
