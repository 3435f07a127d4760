package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/daoyue/daoyue/app"
)

// SendLineArgs asks for one LINE message to be pushed. Unique per message
// while queued or running; its retry key is in the message's row, fixed
// when it was queued, so every attempt sends the same one.
type SendLineArgs struct {
	WorkspaceID string `json:"workspace_id"`
	MessageID   string `json:"message_id"`
}

// Kind implements river.JobArgs.
func (SendLineArgs) Kind() string { return "send_line" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (SendLineArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		Queue:       "mail",
		MaxAttempts: app.LineMaxAttempts,
		UniqueOpts:  river.UniqueOpts{ByArgs: true, ByState: whileLive},
	}
}

type lineWorker struct {
	river.WorkerDefaults[SendLineArgs]
	app       *app.App
	retryBase time.Duration
}

func (w *lineWorker) Work(ctx context.Context, job *river.Job[SendLineArgs]) error {
	return w.app.DeliverLine(ctx, job.Args.WorkspaceID, job.Args.MessageID, job.Attempt >= job.MaxAttempts)
}

// NextRetry backs off as the mail does (1 s, 2 s, … capped at 5 minutes).
func (w *lineWorker) NextRetry(job *river.Job[SendLineArgs]) time.Time {
	return time.Now().Add(Backoff(w.retryBase, job.Attempt))
}

func (w *lineWorker) Timeout(*river.Job[SendLineArgs]) time.Duration { return time.Minute }
