package jobs

import (
	"context"
	"testing"
	"time"

	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/logging"
	"github.com/daoyue/daoyue/store/storetest"
)

// River rescues a job left running by a killed instance after minutes, not
// its default hour, and never one whose run may still be inside its own
// timeout.
func TestRescueStuckJobsAfter(t *testing.T) {
	db := storetest.NewSQLite(t)
	r, err := New(context.Background(), db, app.New(db, logging.Discard()), logging.Discard(), Options{Work: true})
	if err != nil {
		t.Fatal(err)
	}
	got := r.cfg.RescueStuckJobsAfter
	if got <= 0 || got > 10*time.Minute {
		t.Fatalf("RescueStuckJobsAfter = %s, want a few minutes", got)
	}
	for name, timeout := range map[string]time.Duration{
		"River's JobTimeout": r.cfg.JobTimeout,
		"meeting_sync":       (&syncWorker{}).Timeout(nil),
		"send_mail":          (&mailWorker{}).Timeout(nil),
		"account_mail":       (&accountMailWorker{}).Timeout(nil),
		"send_line":          (&lineWorker{}).Timeout(nil),
	} {
		if got <= timeout {
			t.Errorf("RescueStuckJobsAfter %s is not past %s's timeout %s", got, name, timeout)
		}
	}
	// Likewise an email's claim outlasts its send.
	if mailLease <= mailSendTimeout {
		t.Errorf("an email's claim (%s) ends before its send's timeout (%s)", mailLease, mailSendTimeout)
	}
}
