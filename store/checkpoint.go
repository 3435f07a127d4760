package store

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"
)

// checkpointer copies SQLite's write-ahead log into the database file from
// a connection of its own. SQLite's automatic checkpoint runs inside the
// commit that takes the log past 1,000 pages, so the one writer, and every
// write waiting for it, paid for it: 7% of a booking's CPU under load. The
// writer keeps a far higher automatic threshold (walBackstopPages) only in
// case this falls behind.
type checkpointer struct {
	conn *sql.DB
	stop chan struct{}
	done chan struct{}
	once sync.Once    // Close may be called more than once
	runs atomic.Int64 // checkpoints run on a log holding frames (tests)
}

const (
	checkpointEvery  = 250 * time.Millisecond
	walBackstopPages = 8000
)

func startCheckpointer(path string) (*checkpointer, error) {
	conn, err := openSQLiteDB(path + "?_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	conn.SetMaxOpenConns(1)
	c := &checkpointer{conn: conn, stop: make(chan struct{}), done: make(chan struct{})}
	go c.loop()
	return c, nil
}

func (c *checkpointer) loop() {
	defer close(c.done)
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-tick.C:
		}
		// PASSIVE copies what no reader still needs and never waits for
		// the writer or the readers; an error (a busy lock) waits for the
		// next tick.
		var busy, logPages, copied int
		err := c.conn.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logPages, &copied)
		if err == nil && copied > 0 {
			c.runs.Add(1)
		}
	}
}

func (c *checkpointer) close() error {
	c.once.Do(func() { close(c.stop) })
	<-c.done
	return c.conn.Close()
}
