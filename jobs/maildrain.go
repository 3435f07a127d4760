package jobs

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/daoyue/daoyue/app"
)

// mailDrainer is the outbox's sender: it claims queued messages that are
// due and delivers them, a few at a time. The outbox row is the queue (its
// claim, attempts and next attempt), so the transaction that writes a
// message writes nothing else for it: a River job per message was the
// biggest single cost of a booking on SQLite (12% of its CPU), and each
// one's fetch and completion took the writer twice more. Each instance
// runs one; a claim is a lease, so a message whose sender died is sent by
// another instance when the lease ends.
type mailDrainer struct {
	app       *app.App
	log       *slog.Logger
	observer  Observer
	retryBase time.Duration
	poll      time.Duration // a look for messages due without a wake-up (retries, other instances')
	wake      chan struct{}
	stop      chan struct{}
	done      chan struct{}
	stopOnce  sync.Once
}

const (
	// mailLease is past a send's own timeout (mailSendTimeout): a claim
	// ends before another instance takes the message only if its sender
	// is gone.
	mailLease       = 3 * time.Minute
	mailSendTimeout = time.Minute
	mailSenders     = 4  // messages sent at once
	mailClaim       = 16 // messages claimed at once
)

func newMailDrainer(a *app.App, log *slog.Logger, o Options) *mailDrainer {
	return &mailDrainer{app: a, log: log, observer: o.Observer, retryBase: o.RetryBase, poll: o.PollInterval,
		wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
}

// Wake tells the drainer a message was queued; it never blocks.
func (d *mailDrainer) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// run claims and sends until stopped; ctx ends the sends in flight.
func (d *mailDrainer) run(ctx context.Context) {
	defer close(d.done)
	var lastWarn time.Time
	for {
		select {
		case <-d.stop:
			return
		default:
		}
		claims, err := d.app.ClaimMail(ctx, mailClaim, mailLease)
		if err != nil && ctx.Err() == nil && time.Since(lastWarn) > time.Minute {
			// Once a minute: while the database is away this fails at
			// every look.
			d.log.Warn("claiming emails to send failed", slog.Any("error", err))
			lastWarn = time.Now()
		}
		if len(claims) > 0 {
			d.send(ctx, claims)
			continue // more may be due
		}
		select {
		case <-d.stop:
			return
		case <-ctx.Done():
			return
		case <-d.wake:
		case <-time.After(d.poll):
		}
	}
}

// send delivers the claimed messages, mailSenders at a time, then records
// those sent in one write. A failure is recorded by DeliverMail (due again
// after a backoff, or failed for good on the last attempt).
func (d *mailDrainer) send(ctx context.Context, claims []*app.ClaimedMail) {
	sem := make(chan struct{}, mailSenders)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		sent []*app.ClaimedMail
	)
	for _, c := range claims {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			attempt := c.Message.Attempts + 1
			sctx, cancel := context.WithTimeout(ctx, mailSendTimeout)
			defer cancel()
			ok, err := d.app.DeliverMail(sctx, c, attempt >= maxMailAttempts, Backoff(d.retryBase, attempt))
			if err != nil {
				observeMail(d.observer, "client", err)
			} else if ok {
				mu.Lock()
				sent = append(sent, c)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	err := d.app.RecordMailSent(ctx, sent)
	if err != nil {
		// Sent but not recorded: sent again when the claims end.
		d.log.Warn("recording emails as sent failed", slog.Int("emails", len(sent)), slog.Any("error", err))
	}
	for range sent {
		observeMail(d.observer, "client", err)
	}
}

// halt stops claiming, waits for the sends in flight until ctx ends, then
// cancels them (cancel: the drainer's own context); a message cut off
// stays claimed until its lease ends and is sent again then.
func (d *mailDrainer) halt(ctx context.Context, cancel context.CancelFunc) error {
	d.stopOnce.Do(func() { close(d.stop) })
	select {
	case <-d.done:
		return nil
	case <-ctx.Done():
		cancel()
		<-d.done
		return ctx.Err()
	}
}
