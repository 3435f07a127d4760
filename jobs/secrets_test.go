package jobs_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/store"
)

// The tokens appear nowhere in the database file in clear text, and no
// token, join URL, meeting ID or passcode appears in the logs: the test
// searches the raw bytes of the SQLite file (and its WAL) and of everything
// logged while connecting, refreshing, creating and cancelling a meeting.
//
// The sync logs each change it makes in Zoom (booking id and action only),
// so the log check always has lines to read.
func TestNoSecretsInDatabaseFileOrLogs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "daoyue.db")
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := setup(t, db)
	f.connect(f.st.Lin, f.zlin)
	secrets := map[string]string{}
	tokens := func(label string) {
		c := f.connection(f.st.Lin)
		for which, sealed := range map[string]string{"access": c.AccessSealed, "refresh": c.RefreshSealed} {
			plain, err := f.keys.Decrypt(sealed, "zoom_connections/"+c.ID+"/"+which)
			if err != nil {
				t.Fatal(err)
			}
			secrets[label+" "+which+" token"] = string(plain)
		}
	}
	tokens("first")
	f.clock.Advance(2 * time.Hour) // the next call refreshes: rotated tokens too
	bk := f.book(f.st.Online, f.st.Lin, taipei(10, 0))
	b := f.wait(bk.Booking.ID, "a meeting", created)
	tokens("rotated")
	if _, err := f.a.Cancel(f.owner, "studio", bk.Booking.ID, "test"); err != nil {
		t.Fatal(err)
	}
	f.wait(bk.Booking.ID, "the delete", func(b *daoyue.Booking) bool { return b.Meeting.Status == daoyue.MeetingDeleted })
	if secrets["first refresh token"] == secrets["rotated refresh token"] {
		t.Fatal("no refresh happened; the test would prove less than it says")
	}

	var raw []byte
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		raw = append(raw, b...)
	}
	for name, s := range secrets {
		if bytes.Contains(raw, []byte(s)) {
			t.Errorf("the %s is in the database file in clear text", name)
		}
	}

	secrets["join URL"] = b.Meeting.JoinURL
	secrets["passcode"] = b.Meeting.Passcode
	secrets["meeting ID"] = strconv.FormatInt(b.Meeting.ZoomID, 10)
	logs := f.logs.String()
	if !strings.Contains(logs, "level") {
		t.Fatal("nothing was logged; the log check would be empty")
	}
	for name, s := range secrets {
		if s == "" {
			t.Fatalf("%s is empty", name)
		}
		if strings.Contains(logs, s) {
			t.Errorf("the %s appears in the logs", name)
		}
	}
}

func (f *fixture) connection(p *daoyue.Practitioner) *daoyue.ZoomConnection {
	f.t.Helper()
	ctx := context.Background()
	var c *daoyue.ZoomConnection
	if err := f.db.View(ctx, func(tx daoyue.Tx) error {
		var err error
		c, err = tx.ZoomConnection(ctx, f.st.Workspace.ID, p.ID)
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	return c
}

// After the app is removed in the Marketplace, the purged join URL and
// passcode are gone from the database file and its write-ahead log too.
func TestPurgedMeetingDetailsLeaveNoTrace(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "daoyue.db")
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := setup(t, db)
	f.connect(f.st.Lin, f.zlin)
	bk := f.book(f.st.Online, f.st.Lin, taipei(10, 0))
	b := f.wait(bk.Booking.ID, "a meeting", created)
	if err := f.a.ZoomDeauthorized(context.Background(), "zoom:app_deauthorized:test:1", f.zlin.ID); err != nil {
		t.Fatal(err)
	}
	purged := f.wait(bk.Booking.ID, "the purge", func(b *daoyue.Booking) bool { return b.Meeting.Status == daoyue.MeetingPurged })
	if purged.Meeting.JoinURL != "" || purged.Meeting.Passcode != "" || purged.Meeting.ZoomID != 0 || purged.Meeting.ZoomUserID != "" {
		t.Fatalf("purged booking keeps Zoom data: %+v", purged.Meeting)
	}
	for _, p := range []string{path, path + "-wal"} {
		raw, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for name, s := range map[string]string{"join URL": b.Meeting.JoinURL, "passcode": b.Meeting.Passcode} {
			if bytes.Contains(raw, []byte(s)) {
				t.Errorf("the purged %s is still in %s (%d bytes)", name, filepath.Base(p), len(raw))
			}
		}
	}
}
