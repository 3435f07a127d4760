package web

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
	"github.com/daoyue/daoyue/store"
)

// A full disk: a booking that cannot be stored is answered with a clear
// error in the client's language, nothing of it is half-written, and once
// there is room again the next booking goes through. The database sits on
// a small tmpfs (root only: CI runs as root).
func TestDiskFullBooking(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a small file system needs root")
	}
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=4m"); err != nil {
		t.Skipf("cannot mount a tmpfs: %v", err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(dir, syscall.MNT_DETACH) })
	path := filepath.Join(dir, "daoyue.db")
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := newAPIEnv(t, db)
	slots := e.freeSlots(t, 60)

	// Fill the disk, leaving a little room.
	filler := filepath.Join(dir, "filler")
	fill(t, filler, 160<<10) // a booking also writes its reminders (issue 12)

	created, status := 0, 0
	var last *apiResp
	for i := 0; i < len(slots); i++ {
		last = e.do("POST", "/api/v1/public/workspaces/studio-a/bookings", "", map[string]any{"service_id": e.A.Online.ID,
			"start": slots[i], "client": map[string]any{"name": "王小明", "email": fmt.Sprintf("c%d@example.com", i)},
			"note": strings.Repeat("長", 1500)}, "Accept-Language", "en")
		if status = last.status; status != 201 {
			break
		}
		created++
	}
	if status != 503 || last.code() != daoyue.EUNAVAILABLE || last.apiErr().Message != i18n.T(i18n.EN, "error.storage_full", nil) {
		t.Fatalf("after %d bookings: %d %s", created, status, last.body)
	}
	if created == 0 {
		t.Fatal("the disk was full before the first booking: leave more room")
	}
	// Nothing half-written: the bookings are exactly those answered 201,
	// each with its email, and the file is sound.
	if n := e.bookingCount("studio-a", e.tokA); n != created {
		t.Errorf("%d bookings stored, %d answered 201", n, created)
	}
	var ob struct{ Messages []any }
	e.must(200, "GET", "/api/v1/workspaces/studio-a/outbox?limit=200", e.tokA, nil).decode(t, &ob)
	if len(ob.Messages) != created {
		t.Errorf("%d emails for %d bookings", len(ob.Messages), created)
	}
	raw, err := sql.Open("sqlite", path+"?_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var check string
	if err := raw.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
	// Room again: the same booking goes through.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	e.must(201, "POST", "/api/v1/public/workspaces/studio-a/bookings", "", map[string]any{"service_id": e.A.Online.ID,
		"start": slots[created], "client": map[string]any{"name": "王小明", "email": "again@example.com"}})
}

// fill writes zeros to path until the disk is full, then gives back room
// bytes.
func fill(t *testing.T, path string, room int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 4096)
	var n int64
	for {
		w, err := f.Write(buf)
		n += int64(w)
		if err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	if err := f.Truncate(max(n-room, 0)); err != nil {
		t.Fatal(err)
	}
}
