package jobs_test

import (
	"context"
	"fmt"
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
//   - burst-16-practitioners: the same burst spread over 16 practitioners,
//     each with a Zoom account of their own (a studio's bookings wait on
//     their practitioner's calendar lock; real bursts span many calendars).
//   - rate: bookings at 50 a second for 6 seconds with the workers running;
//     the time from each booking's confirmation (Book returning) to its
//     meeting existing, p50 and p99 (polled every 2 ms).
//
// Run once: go test -run '^$' -bench MeetingQueue -benchtime 1x ./jobs
func BenchmarkMeetingQueue(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		for _, burst := range []struct {
			name          string
			practitioners int
		}{{"burst", 2}, {"burst-16-practitioners", 16}} {
			b.Run(kind+"/"+burst.name, func(b *testing.B) {
				for b.Loop() {
					q := newQueueBench(b, kind, burst.practitioners)
					ids := q.book(1000)
					t0 := time.Now()
					if err := q.run.Start(context.Background()); err != nil {
						b.Fatal(err)
					}
					q.waitAll(ids)
					b.ReportMetric(float64(len(ids))/time.Since(t0).Seconds(), "creates/s")
				}
			})
		}
		b.Run(kind+"/rate50", func(b *testing.B) {
			for b.Loop() {
				q := newQueueBench(b, kind, 2)
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

func newQueueBench(b *testing.B, kind string, practitioners int) *queueBench {
	b.Helper()
	var db *store.DB
	if kind == "sqlite" {
		db = storetest.NewSQLite(b)
	} else {
		db = storetest.NewPostgres(b)
	}
	users := zoomsim.DefaultUsers()
	for i := len(users); i < practitioners; i++ {
		users = append(users, zoomsim.User{ID: fmt.Sprintf("bench-user-%02d-aaaaaaaa", i), AccountID: fmt.Sprintf("bench-account-%02d-aaaaaa", i),
			Email: fmt.Sprintf("p%02d@bench.example", i), FirstName: "P", LastName: fmt.Sprint(i), Timezone: "Asia/Taipei", Type: 2})
	}
	// No runner from testenv: this one is built (so bookings enqueue) but
	// started by the benchmark.
	e := testenv.New(b, db, testenv.Options{Start: t0, Zoom: true, ZoomDailyLimit: 1 << 30, ZoomUsers: users})
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
	pracs := []*daoyue.Practitioner{st.Lin, st.Chen}
	for i := len(pracs); i < practitioners; i++ {
		p := &daoyue.Practitioner{Name: fmt.Sprintf("P%02d", i), Email: users[i].Email, Active: true}
		if err := e.App.CreatePractitioner(q.owner, "studio", p); err != nil {
			b.Fatal(err)
		}
		pracs = append(pracs, p)
	}
	var ids []string
	for i, p := range pracs {
		if _, err := e.App.UpdatePractitioner(q.owner, "studio", p.ID, app.PractitionerUpdate{Weekly: &allDay}); err != nil {
			b.Fatal(err)
		}
		if err := f.connectErr(p, users[i]); err != nil {
			b.Fatal(err)
		}
		q.pracs = append(q.pracs, p)
		ids = append(ids, p.ID)
	}
	q.svc = &daoyue.Service{Name: "Queue", DurationMin: 30, SlotStep: 30, HorizonDays: 60, Online: true,
		Price: daoyue.Money{Amount: 1000, Currency: "TWD"}, Confirmation: daoyue.ConfirmAuto, Payment: daoyue.PaymentNone,
		MeetingHost: daoyue.HostAssigned, PractitionerIDs: ids, Active: true}
	if err := e.App.CreateService(q.owner, "studio", q.svc); err != nil {
		b.Fatal(err)
	}
	return q
}

// book makes n bookings on distinct half hours from tomorrow on,
// the practitioners in turn, as fast as it can.
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
	bk, err := q.a.Book(context.Background(), "studio", app.BookInput{ServiceID: q.svc.ID, PractitionerID: q.pracs[i%len(q.pracs)].ID,
		Start: base.Add(time.Duration(i/len(q.pracs)) * 30 * time.Minute), Client: daoyue.Client{Name: "王小明", Email: "ming@example.com"}})
	if err != nil {
		q.b.Fatalf("book %d: %v", i, err)
	}
	return bk.Booking.ID
}

// created reads the booking straight from the store (one query): the
// members' view the benchmark first polled with read five tables a poll
// and took about a tenth of the CPU it measured.
func (q *queueBench) created(id string) bool {
	var st daoyue.MeetingStatus
	err := q.env.DB.View(context.Background(), func(tx daoyue.Tx) error {
		b, err := tx.Booking(context.Background(), q.svc.WorkspaceID, id)
		if err == nil {
			st = b.Meeting.Status
		}
		return err
	})
	if err != nil {
		q.b.Fatal(err)
	}
	return st == daoyue.MeetingCreated
}

// waitAll waits until every booking's meeting is recorded created. With
// many, it first waits (in memory) until Zoom holds as many meetings, then
// counts the recorded ones in one query a poll: reading each booking in
// turn took a tenth of the burst's time on PostgreSQL.
func (q *queueBench) waitAll(ids []string) {
	deadline := time.Now().Add(5 * time.Minute)
	wait := func(what string, done func() bool) {
		for !done() {
			if time.Now().After(deadline) {
				q.b.Fatalf("%s after 5 minutes", what)
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	if len(ids) == 1 {
		wait("booking "+ids[0]+": no meeting", func() bool { return q.created(ids[0]) })
		return
	}
	wait(fmt.Sprintf("fewer than %d meetings in Zoom", len(ids)), func() bool { return q.env.Sim.MeetingCount() >= len(ids) })
	wait(fmt.Sprintf("fewer than %d meetings recorded", len(ids)), func() bool { return q.recorded() >= len(ids) })
}

// recorded counts the studio's bookings whose meeting is recorded created.
func (q *queueBench) recorded() int {
	var n int
	err := q.env.DB.ReadSQL().QueryRowContext(context.Background(),
		"SELECT count(*) FROM bookings WHERE workspace_id = $1 AND meeting_status = 'created'", q.svc.WorkspaceID).Scan(&n)
	if err != nil {
		q.b.Fatal(err)
	}
	return n
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
