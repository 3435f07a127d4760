// Package jobs runs DaoYue's background work on River: each booking's
// meeting sync, the delivery of each email to a client, and the periodic sweeps (payment deadlines, meetings that
// fell behind). Jobs are inserted inside the transaction of the change that
// asks for them (store.DB.SetEnqueuer), so they exist exactly when it commits.
package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/store"
)

// SyncMeetingArgs asks for one booking's meeting to be made to match it.
// Unique per booking while queued or running: a burst of changes to one
// booking is one job, which loops until Zoom matches the latest state.
type SyncMeetingArgs struct {
	WorkspaceID string `json:"workspace_id"`
	BookingID   string `json:"booking_id"`
}

// Kind implements river.JobArgs.
func (SyncMeetingArgs) Kind() string { return "meeting_sync" }

// whileLive makes a job unique by its arguments while one is waiting,
// running or to be retried: a second insert for the same booking or
// message is a no-op (River's UniqueOpts.ByState).
var whileLive = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateRetryable, rivertype.JobStateScheduled,
}

// maxSyncAttempts with the backoff below spans about an hour and a half of
// Zoom being down before a booking's meeting is marked failed.
const maxSyncAttempts = 25

// InsertOpts implements river.JobArgsWithInsertOpts.
func (SyncMeetingArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		Queue:       "meetings",
		MaxAttempts: maxSyncAttempts,
		UniqueOpts:  river.UniqueOpts{ByArgs: true, ByState: whileLive},
	}
}

type syncWorker struct {
	river.WorkerDefaults[SyncMeetingArgs]
	app       *app.App
	retryBase time.Duration
	observer  Observer
}

func (w *syncWorker) Work(ctx context.Context, job *river.Job[SyncMeetingArgs]) error {
	final := job.Attempt >= job.MaxAttempts
	t0 := time.Now()
	err := w.app.SyncMeeting(ctx, job.Args.WorkspaceID, job.Args.BookingID, job.Attempt, final)
	var later *app.RetryLater
	outcome := "ok"
	if errors.As(err, &later) {
		outcome, err = "snoozed", river.JobSnooze(later.Delay)
	} else if err != nil {
		outcome = "error"
	}
	if w.observer != nil {
		w.observer.MeetingSync(outcome, time.Since(t0))
	}
	return err
}

// Observer hears of job runs (metrics).
type Observer interface {
	// MeetingSync: one run of a meeting sync, "ok", "snoozed" (Zoom's
	// rate limit) or "error" (to be retried, or failed for good).
	MeetingSync(outcome string, d time.Duration)
	// MailDelivery: one run of an email job, kind "client" or "account",
	// outcome "ok" or "error".
	MailDelivery(kind, outcome string)
}

func observeMail(o Observer, kind string, err error) error {
	if o != nil {
		outcome := "ok"
		if err != nil {
			outcome = "error"
		}
		o.MailDelivery(kind, outcome)
	}
	return err
}

// NextRetry backs off fast at first (1 s, 2 s, 4 s, …) so a brief Zoom
// hiccup heals within seconds, capped at 5 minutes (API.md), with jitter so
// many bookings do not retry in lockstep.
func (w *syncWorker) NextRetry(job *river.Job[SyncMeetingArgs]) time.Time {
	return time.Now().Add(Backoff(w.retryBase, job.Attempt))
}

// Backoff is the wait after the given failed attempt (1-based): base,
// twice base, four times base, … capped at 5 minutes, plus up to 10% jitter.
func Backoff(base time.Duration, attempt int) time.Duration {
	d := base << min(attempt-1, 20)
	if d > 5*time.Minute {
		d = 5 * time.Minute
	}
	return d + time.Duration(rand.Int64N(int64(d/10)+1))
}

func (w *syncWorker) Timeout(*river.Job[SyncMeetingArgs]) time.Duration { return 2 * time.Minute }

// SendMailArgs asked for one outbox message to be sent, before the outbox
// became its own queue (maildrain.go). Jobs of it left from an earlier
// version complete without sending: the drainer sends their messages.
type SendMailArgs struct {
	WorkspaceID string `json:"workspace_id"`
	MessageID   string `json:"message_id"`
}

// Kind implements river.JobArgs.
func (SendMailArgs) Kind() string { return "send_mail" }

// maxMailAttempts with Backoff keeps trying for about an hour (1 s, 2 s, …
// then every 5 minutes) before the message is marked failed.
const maxMailAttempts = 20

// InsertOpts implements river.JobArgsWithInsertOpts.
func (SendMailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		Queue:       "mail",
		MaxAttempts: maxMailAttempts,
		UniqueOpts:  river.UniqueOpts{ByArgs: true, ByState: whileLive},
	}
}

// mailWorker completes a send_mail job left from an earlier version: its
// message is queued in the outbox, where the drainer finds it.
type mailWorker struct {
	river.WorkerDefaults[SendMailArgs]
}

func (w *mailWorker) Work(context.Context, *river.Job[SendMailArgs]) error { return nil }

func (w *mailWorker) Timeout(*river.Job[SendMailArgs]) time.Duration { return time.Minute }

// SweepArgs is the periodic sweep: expire unpaid bookings past their
// deadline and requeue meeting syncs that fell behind.
type SweepArgs struct{}

// Kind implements river.JobArgs.
func (SweepArgs) Kind() string { return "sweep" }

type sweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	app        *app.App
	log        *slog.Logger
	exec       riverdriver.Executor
	stuckAfter time.Duration
	// lastDaily is when this worker last looked for the daily notices
	// (they go once a day; looking every few minutes is enough).
	lastDaily time.Time
}

// dailyNoticeEvery is how often the sweep looks for the daily notices
// (agendas, Zoom re-authorization); the notices_sent ledger makes each go
// once a day however often it looks.
var dailyNoticeEvery = 5 * time.Minute

func (w *sweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	rescued, err := w.rescueDeadSyncs(ctx)
	if err != nil {
		return fmt.Errorf("rescue meeting syncs of dead workers: %w", err)
	}
	if rescued > 0 {
		w.log.Warn("sweep: meeting syncs of dead workers queued again", slog.Int("jobs", rescued))
	}
	expired, err := w.app.ExpireDue(ctx)
	if err != nil {
		return fmt.Errorf("expire unpaid bookings: %w", err)
	}
	requeued, err := w.app.Resync(ctx)
	if err != nil {
		return fmt.Errorf("requeue meeting syncs: %w", err)
	}
	reminded, err := w.app.SendReminders(ctx)
	if err != nil {
		return fmt.Errorf("send reminders: %w", err)
	}
	noticed := 0
	if time.Since(w.lastDaily) >= dailyNoticeEvery {
		if noticed, err = w.app.DailyNotices(ctx); err != nil {
			return fmt.Errorf("daily notices: %w", err)
		}
		if err := w.app.ForgetStale(ctx); err != nil {
			return fmt.Errorf("forget stale counters: %w", err)
		}
		w.lastDaily = time.Now()
	}
	if reminded+noticed > 0 {
		w.log.Info("sweep", slog.Int("reminders", reminded), slog.Int("daily_notices", noticed))
	}
	purged, err := w.app.PurgeDeletedStudios(ctx)
	if err != nil {
		return fmt.Errorf("purge deleted studios: %w", err)
	}
	if expired+requeued+purged > 0 {
		w.log.Info("sweep", slog.Int("expired", expired), slog.Int("meeting_syncs_requeued", requeued), slog.Int("studios_purged", purged))
	}
	return nil
}

// ReconcileArgs is the periodic reconciliation of ECPay payments whose
// notification never came (app.ReconcileECPay).
type ReconcileArgs struct{}

// Kind implements river.JobArgs.
func (ReconcileArgs) Kind() string { return "ecpay_reconcile" }

// reconcileBatch bounds one round's queries to ECPay.
const reconcileBatch = 20

// InvoiceArgs is the periodic round of e-invoices to issue or void
// (app.IssueDueInvoices): each invoice row carries its own attempts and
// next attempt (backoff), so a crash loses nothing and ECPay's
// RelateNumber keeps a repeat from issuing twice.
type InvoiceArgs struct{}

// Kind implements river.JobArgs.
func (InvoiceArgs) Kind() string { return "ecpay_invoices" }

// invoiceBatch bounds one round's calls to ECPay.
const invoiceBatch = 20

// roundWorker works a periodic round of at most batch items and logs how
// many it did (the ECPay reconciliation and e-invoice rounds).
type roundWorker[T river.JobArgs] struct {
	river.WorkerDefaults[T]
	round func(ctx context.Context, batch int) (int, error)
	batch int
	what  string // the log message and error prefix
	log   *slog.Logger
}

func (w *roundWorker[T]) Work(ctx context.Context, _ *river.Job[T]) error {
	n, err := w.round(ctx, w.batch)
	if err != nil {
		return fmt.Errorf("%s: %w", w.what, err)
	}
	if n > 0 {
		w.log.Info(w.what, slog.Int("done", n))
	}
	return nil
}

// rescueDeadSyncs hands back to the queue the meeting syncs whose job row
// says running but whose run is gone: its process was killed (or lost its
// database) and River's own rescue of stuck jobs would wait an hour. A live
// run holds its booking's sync lease from its first moment and renews it
// while it works (app.SyncLease), so a row that has been running for
// stuckAfter without a live lease has no run behind it. The update is
// River's own rescue (state running and attempted before the horizon, as
// checked again in the statement): the job becomes retryable at once and
// runs again like any retry. If the run was alive after all (it finished
// and released its lease a moment before River marked it completed), the
// second run finds the booking in sync and ends.
func (w *sweepWorker) rescueDeadSyncs(ctx context.Context) (int, error) {
	horizon := time.Now().Add(-w.stuckAfter)
	stuck, err := w.exec.JobGetStuck(ctx, &riverdriver.JobGetStuckParams{Max: 200, StuckHorizon: horizon})
	if err != nil {
		return 0, err
	}
	p := &riverdriver.JobRescueManyParams{StuckHorizon: horizon}
	now := time.Now().UTC()
	for _, job := range stuck {
		if job.Kind != (SyncMeetingArgs{}).Kind() {
			continue
		}
		var args SyncMeetingArgs
		if err := json.Unmarshal(job.EncodedArgs, &args); err != nil || args.BookingID == "" {
			continue // River's own rescuer deals with what cannot be read
		}
		held, err := w.app.SyncLeaseHeld(ctx, args.BookingID)
		if err != nil {
			return 0, err
		}
		if held {
			continue
		}
		msg, _ := json.Marshal(rivertype.AttemptError{At: now, Attempt: max(job.Attempt, 0),
			Error: "meeting sync rescued: its worker stopped without finishing (no live lease)"})
		p.ID = append(p.ID, job.ID)
		p.Error = append(p.Error, msg)
		p.FinalizedAt = append(p.FinalizedAt, nil)
		p.ScheduledAt = append(p.ScheduledAt, now)
		p.State = append(p.State, string(rivertype.JobStateRetryable))
	}
	if len(p.ID) == 0 {
		return 0, nil
	}
	if _, err := w.exec.JobRescueMany(ctx, p); err != nil {
		return 0, err
	}
	return len(p.ID), nil
}

// SandboxResetArgs resets the zoom-review sandbox.
type SandboxResetArgs struct{}

// Kind implements river.JobArgs.
func (SandboxResetArgs) Kind() string { return "sandbox_reset" }

type sandboxWorker struct {
	river.WorkerDefaults[SandboxResetArgs]
	reset func(context.Context) error
}

func (w *sandboxWorker) Work(ctx context.Context, _ *river.Job[SandboxResetArgs]) error {
	return w.reset(ctx)
}

// dailyAt is a River schedule: every day at hour:00 in Taipei, when
// reviewers in any zone are least likely to be mid-flow.
type dailyAt struct{ hour int }

func (d dailyAt) Next(t time.Time) time.Time {
	loc, _ := time.LoadLocation(daoyue.DefaultTimeZone)
	lt := t.In(loc)
	next := time.Date(lt.Year(), lt.Month(), lt.Day(), d.hour, 0, 0, 0, loc)
	if !next.After(lt) {
		next = next.AddDate(0, 0, 1)
	}
	return next
}

// Options tune the runner.
type Options struct {
	// Work runs workers in this process; false makes an insert-only client
	// (a web-only instance of a multi-instance deployment).
	Work bool
	// PollInterval is how often idle workers look for new jobs; zero is
	// the defaults below (the meetings queue polls far more often than the
	// others: a confirmation waits for its join link).
	PollInterval time.Duration
	// SweepInterval is how often the periodic sweep runs.
	SweepInterval time.Duration
	// RetryBase is the first retry's wait (default 1 s; tests shorten it).
	RetryBase time.Duration
	// StuckAfter is how long a meeting sync's job row may say running
	// without a live run before the sweep queues it again (default 10 s).
	StuckAfter time.Duration
	// ReconcileInterval is how often open ECPay payments whose
	// notification never came are asked about (default 5 min; ECPay
	// answers 403 to callers that query too often).
	ReconcileInterval time.Duration
	// Observer, when set, hears of meeting sync and email job runs.
	Observer Observer
	// SandboxReset, when set, runs daily at 04:00 Taipei time (the
	// zoom-review sandbox; it does nothing if the sandbox does not exist).
	SandboxReset func(context.Context) error
}

// Runner owns the River client.
type Runner struct {
	client     *river.Client[*sql.Tx]
	log        *slog.Logger
	cfg        *river.Config
	mail       *mailDrainer // the outbox's sender (with Options.Work)
	mailCancel context.CancelFunc
}

// jobTimeout is River's timeout for the kinds that set none of their own
// (the periodic work); rescueStuckJobsAfter is when River hands a job
// still marked running to another worker.
const (
	jobTimeout           = 2 * time.Minute
	rescueStuckJobsAfter = 5 * time.Minute
)

func driverFor(db *store.DB) riverdriver.Driver[*sql.Tx] {
	if db.Dialect() == "postgres" {
		return riverdatabasesql.New(db.SQL())
	}
	return riversqlite.New(db.SQL())
}

// Migrate applies River's own migrations to the database.
func Migrate(ctx context.Context, db *store.DB) error {
	m, err := rivermigrate.New(driverFor(db), nil)
	if err != nil {
		return err
	}
	return db.WithMigrationLock(ctx, func(ctx context.Context) error {
		_, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		return err
	})
}

// New migrates River's tables, builds the client and makes it the store's
// enqueuer. Call Start to begin working.
func New(ctx context.Context, db *store.DB, a *app.App, log *slog.Logger, o Options) (*Runner, error) {
	if err := Migrate(ctx, db); err != nil {
		return nil, fmt.Errorf("river migrations: %w", err)
	}
	// River's database/sql driver has no LISTEN/NOTIFY, and an insert in
	// the caller's transaction does not wake the workers, so workers find
	// new jobs by polling. The meetings queue polls every 20 ms on
	// PostgreSQL (a cheap indexed query on its own connection) and every
	// 50 ms on SQLite (each poll takes the one writer for a moment); a
	// fetch follows the previous one by at least the cooldown and takes
	// up to the free workers' worth of jobs, so 32 workers every 5 ms
	// bound a backlog's drain far above Zoom's own rate (Zoom calls are
	// waits on the network, not CPU). Mail and the periodic work keep a
	// quarter-second poll.
	meetingsPoll, meetingsCooldown, meetingsWorkers := 20*time.Millisecond, 5*time.Millisecond, 32
	if db.Dialect() != "postgres" {
		meetingsPoll, meetingsCooldown, meetingsWorkers = 50*time.Millisecond, 10*time.Millisecond, 16
	}
	if o.PollInterval == 0 {
		o.PollInterval = 250 * time.Millisecond
	} else {
		meetingsPoll, meetingsCooldown = o.PollInterval, min(o.PollInterval, 100*time.Millisecond)
	}
	if o.RetryBase == 0 {
		o.RetryBase = time.Second
	}
	if o.StuckAfter == 0 {
		o.StuckAfter = 10 * time.Second
	}
	if o.ReconcileInterval == 0 {
		o.ReconcileInterval = 5 * time.Minute
	}
	if o.SweepInterval == 0 {
		// Also the longest a change can wait when it landed just as its
		// booking's previous sync was finishing (the insert was a duplicate).
		o.SweepInterval = 5 * time.Second
	}
	cfg := &river.Config{
		// River reports its queue counts every few seconds at Info; keep
		// its warnings and errors only.
		Logger:            slog.New(levelFilter{log.Handler(), slog.LevelWarn}).With(slog.String("component", "river")),
		FetchPollInterval: o.PollInterval,
		FetchCooldown:     min(o.PollInterval, 100*time.Millisecond),
		PollOnly:          true,
		JobTimeout:        jobTimeout,
		// River's default is an hour: the emails a killed instance was
		// sending would wait that long for another instance. Five minutes
		// is past every worker's own timeout (River requires more than
		// JobTimeout), so only a run that is gone (or ignores its cancelled
		// context) is rescued. Meeting syncs do not wait for it: the sweep
		// rescues them by their lease within seconds, and a rescued sync
		// whose run is somehow alive snoozes on that lease.
		RescueStuckJobsAfter: rescueStuckJobsAfter,
	}
	if o.Work {
		workers := river.NewWorkers()
		river.AddWorker(workers, &syncWorker{app: a, retryBase: o.RetryBase, observer: o.Observer})
		river.AddWorker(workers, &mailWorker{})
		river.AddWorker(workers, &accountMailWorker{app: a, retryBase: o.RetryBase, observer: o.Observer})
		river.AddWorker(workers, &lineWorker{app: a, retryBase: o.RetryBase})
		river.AddWorker(workers, &sweepWorker{app: a, log: log, exec: driverFor(db).GetExecutor(), stuckAfter: o.StuckAfter})
		cfg.Workers = workers
		cfg.Queues = map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: 2},
			"meetings":         {MaxWorkers: meetingsWorkers, FetchPollInterval: meetingsPoll, FetchCooldown: meetingsCooldown},
			"mail":             {MaxWorkers: 4},
		}
		cfg.PeriodicJobs = []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(o.SweepInterval),
			func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil }, &river.PeriodicJobOpts{ID: "sweep", RunOnStart: true})}
		if a.ECPay != nil {
			river.AddWorker(workers, &roundWorker[ReconcileArgs]{round: a.ReconcileECPay, batch: reconcileBatch, what: "ecpay reconciliation", log: log})
			cfg.PeriodicJobs = append(cfg.PeriodicJobs, river.NewPeriodicJob(river.PeriodicInterval(o.ReconcileInterval),
				func() (river.JobArgs, *river.InsertOpts) { return ReconcileArgs{}, nil }, &river.PeriodicJobOpts{ID: "ecpay_reconcile"}))
			river.AddWorker(workers, &roundWorker[InvoiceArgs]{round: a.IssueDueInvoices, batch: invoiceBatch, what: "ecpay invoices", log: log})
			cfg.PeriodicJobs = append(cfg.PeriodicJobs, river.NewPeriodicJob(river.PeriodicInterval(o.SweepInterval),
				func() (river.JobArgs, *river.InsertOpts) { return InvoiceArgs{}, nil }, &river.PeriodicJobOpts{ID: "ecpay_invoices"}))
		}
		if o.SandboxReset != nil {
			river.AddWorker(workers, &sandboxWorker{reset: o.SandboxReset})
			cfg.PeriodicJobs = append(cfg.PeriodicJobs, river.NewPeriodicJob(dailyAt{hour: 4},
				func() (river.JobArgs, *river.InsertOpts) { return SandboxResetArgs{}, nil }, &river.PeriodicJobOpts{ID: "sandbox_reset"}))
		}
	}
	client, err := river.NewClient(driverFor(db), cfg)
	if err != nil {
		return nil, err
	}
	r := &Runner{client: client, log: log, cfg: cfg}
	db.SetEnqueuer(r.enqueue)
	if o.Work {
		r.mail = newMailDrainer(a, log.With(slog.String("component", "mail")), o)
		db.SetOutboxHook(r.mail.Wake)
	}
	a.SyncsQueued = func(ctx context.Context, ids []string) (map[string]bool, error) { return syncsQueued(ctx, db, ids) }
	return r, nil
}

// syncsQueued reports which of the bookings have a meeting sync job that
// is queued or running: the periodic Resync leaves those alone.
func syncsQueued(ctx context.Context, db *store.DB, bookingIDs []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(bookingIDs) == 0 {
		return out, nil
	}
	field := `json_extract(args, '$.booking_id')`
	if db.Dialect() == "postgres" {
		field = `args->>'booking_id'`
	}
	marks := make([]string, len(bookingIDs))
	args := make([]any, len(bookingIDs))
	for i, id := range bookingIDs {
		marks[i], args[i] = "?", id
		if db.Dialect() == "postgres" {
			marks[i] = fmt.Sprintf("$%d", i+1)
		}
	}
	rows, err := db.ReadSQL().QueryContext(ctx, `SELECT `+field+` FROM river_job WHERE kind = 'meeting_sync'
		AND state IN ('available', 'pending', 'running', 'retryable', 'scheduled') AND `+field+` IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("queued meeting syncs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id sql.NullString
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id.String] = true
	}
	return out, rows.Err()
}

// enqueue inserts a domain job in the caller's transaction.
func (r *Runner) enqueue(ctx context.Context, tx *sql.Tx, job daoyue.Job) error {
	var args river.JobArgs
	switch j := job.(type) {
	case daoyue.SyncMeetingJob:
		args = SyncMeetingArgs{WorkspaceID: j.WorkspaceID, BookingID: j.BookingID}
	case daoyue.SendLineJob:
		args = SendLineArgs{WorkspaceID: j.WorkspaceID, MessageID: j.MessageID}
	case daoyue.AccountMailJob:
		args = AccountMailArgs{Purpose: j.Purpose, UserID: j.UserID, WorkspaceID: j.WorkspaceID, Email: j.Email,
			Language: j.Language, TokenHash: j.TokenHash, TokenSealed: j.TokenSealed}
	default:
		return fmt.Errorf("enqueue: unknown job %q", job.JobKind())
	}
	_, err := r.client.InsertTx(ctx, tx, args, nil)
	return err
}

// Start begins working jobs (with Options.Work).
func (r *Runner) Start(ctx context.Context) error {
	if err := r.client.Start(ctx); err != nil {
		return err
	}
	if r.mail != nil && r.mailCancel == nil {
		// Stop ends the sender (serve cancels ctx at a signal, before
		// Stop lets the emails in flight finish).
		var mctx context.Context
		mctx, r.mailCancel = context.WithCancel(context.WithoutCancel(ctx))
		go r.mail.run(mctx)
	}
	return nil
}

// Stop waits for running jobs and emails being sent to finish, up to ctx's
// deadline, then cancels them.
func (r *Runner) Stop(ctx context.Context) error {
	if r.mail != nil && r.mailCancel != nil {
		// An email cut off by the deadline is sent again when its claim ends.
		_ = r.mail.halt(ctx, r.mailCancel)
	}
	err := r.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		return r.client.StopAndCancel(context.Background())
	}
	return err
}

// Client exposes the River client (tests wait on its events).
func (r *Runner) Client() *river.Client[*sql.Tx] { return r.client }

// levelFilter drops records below min before they reach the handler.
type levelFilter struct {
	slog.Handler
	min slog.Level
}

func (f levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= f.min && f.Handler.Enabled(ctx, l)
}

func (f levelFilter) WithAttrs(as []slog.Attr) slog.Handler {
	return levelFilter{f.Handler.WithAttrs(as), f.min}
}

func (f levelFilter) WithGroup(name string) slog.Handler {
	return levelFilter{f.Handler.WithGroup(name), f.min}
}
