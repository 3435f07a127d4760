package jobs_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/internal/testenv"
	"github.com/daoyue/daoyue/jobs"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
	"github.com/daoyue/daoyue/zoom/zoomsim"
)

// BenchmarkMeetingQueue measures the meeting queue with the production
// River settings against the Zoom simulator (which answers in about a
// millisecond), on both databases:
//
//   - burst: 1,000 confirmed online bookings made while no worker runs,
//     then the workers start; creates/s is 1,000 over the time until the
//     last meeting exists.
//   - rate: bookings at 50 a second for 6 seconds with the workers running;
//     the time from each booking's confirmation (Book returning) to its
//     meeting existing, p50 and p99 (polled every 2 ms).
//
// Run once: go test -run '^$' -bench MeetingQueue -benchtime 1x ./jobs
func BenchmarkMeetingQueue(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind+"/burst", func(b *testing.B) {
			for b.Loop() {
				q := newQueueBench(b, kind)
				ids := q.book(1000)
				t0 := time.Now()
				if err := q.run.Start(context.Background()); err != nil {
					b.Fatal(err)
				}
				q.waitAll(ids)
				b.ReportMetric(float64(len(ids))/time.Since(t0).Seconds(), "creates/s")
			}
		})
		b.Run(kind+"/rate50", func(b *testing.B) {
			for b.Loop() {
				q := newQueueBench(b, kind)
				if err := q.run.Start(context.Background()); err != nil {
					b.Fatal(err)
				}
				lat := q.latencies(300, 50)
				slices.Sort(lat)
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ms")
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99_ms")
			}
		})
	}
}

type queueBench struct {
	b     *testing.B
	env   *testenv.Env
	a     *app.App
	run   *jobs.Runner
	svc   *daoyue.Service
	pracs []*daoyue.Practitioner
	owner context.Context
	next  int
}

func newQueueBench(b *testing.B, kind string) *queueBench {
	b.Helper()
	var db *store.DB
	if kind == "sqlite" {
		db = storetest.NewSQLite(b)
	} else {
		db = storetest.NewPostgres(b)
	}
	// No runner from testenv: this one is built (so bookings enqueue) but
	// started by the benchmark.
	e := testenv.New(b, db, testenv.Options{Start: t0, Zoom: true, ZoomDailyLimit: 1 << 30})
	run, err := jobs.New(context.Background(), db, e.App, e.Log, jobs.Options{Work: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = run.Stop(ctx)
	})
	q := &queueBench{b: b, env: e, a: e.App, run: run}
	st := e.Studio("studio", "測試工作室", "owner@studio.test", "correct-horse-1")
	q.owner = e.As("owner@studio.test")
	f := &fixture{t: nil, env: e, db: db, sim: e.Sim, a: e.App, st: st, owner: q.owner}
	var allDay []daoyue.WeeklyRule
	for d := time.Sunday; d <= time.Saturday; d++ {
		allDay = append(allDay, daoyue.WeeklyRule{Weekday: d, Start: 0, End: 24 * 60})
	}
	for _, pz := range []struct {
		p  *daoyue.Practitioner
		zu func() error
	}{{st.Lin, func() error { return f.connectErr(st.Lin, e.ZoomLin) }}, {st.Chen, func() error { return f.connectErr(st.Chen, e.ZoomChen) }}} {
		if _, err := e.App.UpdatePractitioner(q.owner, "studio", pz.p.ID, app.PractitionerUpdate{Weekly: &allDay}); err != nil {
			b.Fatal(err)
		}
		if err := pz.zu(); err != nil {
			b.Fatal(err)
		}
		q.pracs = append(q.pracs, pz.p)
	}
	q.svc = &daoyue.Service{Name: "Queue", DurationMin: 30, SlotStep: 30, HorizonDays: 60, Online: true,
		Price: daoyue.Money{Amount: 1000, Currency: "TWD"}, Confirmation: daoyue.ConfirmAuto, Payment: daoyue.PaymentNone,
		MeetingHost: daoyue.HostAssigned, PractitionerIDs: []string{st.Lin.ID, st.Chen.ID}, Active: true}
	if err := e.App.CreateService(q.owner, "studio", q.svc); err != nil {
		b.Fatal(err)
	}
	return q
}

// book makes n bookings on distinct half hours from tomorrow on,
// alternating practitioners, as fast as it can.
func (q *queueBench) book(n int) []string {
	ids := make([]string, 0, n)
	base := t0.AddDate(0, 0, 1)
	for i := 0; i < n; i++ {
		ids = append(ids, q.bookOne(base))
	}
	return ids
}

func (q *queueBench) bookOne(base time.Time) string {
	i := q.next
	q.next++
	bk, err := q.a.Book(context.Background(), "studio", app.BookInput{ServiceID: q.svc.ID, PractitionerID: q.pracs[i%2].ID,
		Start: base.Add(time.Duration(i/2) * 30 * time.Minute), Client: daoyue.Client{Name: "王小明", Email: "ming@example.com"}})
	if err != nil {
		q.b.Fatalf("book %d: %v", i, err)
	}
	return bk.Booking.ID
}

func (q *queueBench) created(id string) bool {
	d, err := q.a.Booking(q.owner, "studio", id)
	if err != nil {
		q.b.Fatal(err)
	}
	return d.Booking.Meeting.Status == daoyue.MeetingCreated
}

func (q *queueBench) waitAll(ids []string) {
	deadline := time.Now().Add(5 * time.Minute)
	for _, id := range ids {
		for !q.created(id) {
			if time.Now().After(deadline) {
				q.b.Fatalf("booking %s: no meeting after 5 minutes", id)
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
}

// latencies books n at rate a second and returns, for each, the time from
// Book returning to its meeting existing.
func (q *queueBench) latencies(n, rate int) []time.Duration {
	base := t0.AddDate(0, 0, 1)
	var mu sync.Mutex
	var wg sync.WaitGroup
	var out []time.Duration
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	for i := 0; i < n; i++ {
		<-tick.C
		id := q.bookOne(base)
		t := time.Now()
		wg.Add(1)
		go func() {
			defer wg.Done()
			q.waitAll([]string{id})
			mu.Lock()
			out = append(out, time.Since(t))
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(out) == 0 {
		q.b.Fatal("no bookings")
	}
	return out
}

// connectErr is connect for a benchmark: the consent flow, then Zoom as
// p's default tool, returning the first error.
func (f *fixture) connectErr(p *daoyue.Practitioner, zu zoomsim.User) error {
	authURL, err := f.a.ConnectZoom(f.owner, "studio", p.ID)
	if err != nil {
		return err
	}
	back, err := f.sim.Consent(context.Background(), authURL, zu.ID, true)
	if err != nil {
		return err
	}
	if _, err := f.a.CompleteZoom(f.owner, back.Query().Get("state"), back.Query().Get("code")); err != nil {
		return err
	}
	_, err = f.a.SetZoomDefault(f.owner, "studio", p.ID)
	return err
}
