package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
)

// AccountMailArgs sends one account email (a password reset link). The
// link's secret travels sealed; the worker opens it only to send.
type AccountMailArgs struct {
	Purpose     string `json:"purpose"`
	UserID      string `json:"user_id"`
	WorkspaceID string `json:"workspace_id,omitempty"` // a client's My bookings link
	Email       string `json:"email,omitempty"`
	Language    string `json:"language"`
	TokenHash   string `json:"token_hash"`
	TokenSealed string `json:"token_sealed"`
}

// Kind implements river.JobArgs.
func (AccountMailArgs) Kind() string { return "account_mail" }

// InsertOpts implements river.JobArgsWithInsertOpts: the link lives an
// hour, so retrying longer is pointless.
func (AccountMailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: "mail", MaxAttempts: 10}
}

type accountMailWorker struct {
	river.WorkerDefaults[AccountMailArgs]
	app       *app.App
	retryBase time.Duration
	observer  Observer
}

func (w *accountMailWorker) Work(ctx context.Context, job *river.Job[AccountMailArgs]) error {
	a := job.Args
	return observeMail(w.observer, "account", w.app.DeliverAccountMail(ctx, daoyue.AccountMailJob{Purpose: a.Purpose, UserID: a.UserID,
		WorkspaceID: a.WorkspaceID, Email: a.Email, Language: a.Language, TokenHash: a.TokenHash, TokenSealed: a.TokenSealed}))
}

func (w *accountMailWorker) NextRetry(job *river.Job[AccountMailArgs]) time.Time {
	return time.Now().Add(Backoff(w.retryBase, job.Attempt))
}

func (w *accountMailWorker) Timeout(*river.Job[AccountMailArgs]) time.Duration { return time.Minute }
