// Package metrics exposes DaoYue's Prometheus metrics: HTTP requests by
// route pattern and status, booking changes, meeting syncs, Zoom calls,
// emails, and the job queue's depth and age. The rest of the product does
// not import Prometheus: web, app and jobs call small hooks that this
// package fills in (cmd/daoyue wires them).
package metrics

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/daoyue/daoyue/internal/outbound"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the registry and the product's metrics.
type Metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.HistogramVec
	bookings  *prometheus.CounterVec
	syncs     *prometheus.HistogramVec
	zoomCalls *prometheus.HistogramVec
	mails     *prometheus.CounterVec
}

// latency buckets from 0.5 ms to 10 s.
var buckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// New registers the metrics, Go's runtime and process collectors, and,
// when db is not nil, the job queue collector (River's river_job table).
func New(db *sql.DB, log *slog.Logger) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "daoyue_http_request_duration_seconds",
		Help: "HTTP requests by route pattern (never the raw path) and status, with their latency.", Buckets: buckets},
		[]string{"route", "status"})
	m.bookings = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "daoyue_booking_changes_total",
		Help: "Booking changes written, by action (the audit entry's) and resulting status. Counted as written in " +
			"their transaction: one that then rolls back or is retried counts again."}, []string{"action", "status"})
	m.syncs = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "daoyue_meeting_sync_duration_seconds",
		Help: "Meeting sync job runs by outcome (ok, snoozed, error), with their latency.", Buckets: buckets}, []string{"outcome"})
	m.zoomCalls = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "daoyue_zoom_request_duration_seconds",
		Help: "Calls to Zoom (or its simulator) by endpoint (ids replaced by {id}) and status (0: no answer); " +
			"endpoint POST /oauth/token counts token exchanges and refreshes.", Buckets: buckets}, []string{"endpoint", "status"})
	m.mails = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "daoyue_email_deliveries_total",
		Help: "Email delivery job runs by kind (client, account) and outcome (ok, error)."}, []string{"kind", "outcome"})
	m.reg.MustRegister(m.requests, m.bookings, m.syncs, m.zoomCalls, m.mails,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db != nil {
		m.reg.MustRegister(&queueCollector{db: db, log: log})
	}
	return m
}

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Registry is the registry (tests gather from it).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Request records one HTTP request (web.Config.ObserveRequest).
func (m *Metrics) Request(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Observe(d.Seconds())
}

// BookingChanged records one booking change (app.Observer).
func (m *Metrics) BookingChanged(action, status string) {
	m.bookings.WithLabelValues(action, status).Inc()
}

// MeetingSync records one run of a meeting sync job (jobs.Observer).
func (m *Metrics) MeetingSync(outcome string, d time.Duration) {
	m.syncs.WithLabelValues(outcome).Observe(d.Seconds())
}

// MailDelivery records one run of an email job (jobs.Observer).
func (m *Metrics) MailDelivery(kind, outcome string) {
	m.mails.WithLabelValues(kind, outcome).Inc()
}

// ZoomTransport wraps next (nil: outbound.Transport) to count calls to
// Zoom by endpoint and status.
func (m *Metrics) ZoomTransport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = outbound.Transport
	}
	return roundTripper(func(r *http.Request) (*http.Response, error) {
		t0 := time.Now()
		resp, err := next.RoundTrip(r)
		status := 0
		if err == nil {
			status = resp.StatusCode
		}
		m.zoomCalls.WithLabelValues(Endpoint(r.Method, r.URL.Path), strconv.Itoa(status)).Observe(time.Since(t0).Seconds())
		return resp, err
	})
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Endpoint names a Zoom call by method and path with every segment that
// holds an id, an email or anything not a plain word replaced by {id}, and
// the simulator's mount point and the API's version prefix dropped, so
// the label's values stay few: "GET /users/{id}/meetings".
func Endpoint(method, path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		if i == 0 && (s == "zoomsim" || s == "v2") && len(segs) > 1 {
			continue
		}
		if (s == "v2" || s == "api") && len(out) == 0 {
			continue
		}
		if s == "me" || plainWord(s) {
			out = append(out, s)
		} else {
			out = append(out, "{id}")
		}
	}
	return method + " /" + strings.Join(out, "/")
}

// plainWord: lower-case letters and underscores only, at most 24 bytes
// (Zoom's resource names; ids hold digits or capitals).
func plainWord(s string) bool {
	if s == "" || len(s) > 24 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'a' || c > 'z') && c != '_' {
			return false
		}
	}
	return true
}

// queueCollector reports River's queue at each scrape: jobs by queue and
// state (not finished ones), and the age of the oldest available job per
// queue (how long the head of the line has waited).
type queueCollector struct {
	db  *sql.DB
	log *slog.Logger
}

var (
	queueDepth = prometheus.NewDesc("daoyue_queue_jobs", "Jobs in River's queue by queue and state (completed, cancelled and discarded left out).",
		[]string{"queue", "state"}, nil)
	queueAge = prometheus.NewDesc("daoyue_queue_oldest_available_seconds", "Age of the oldest job ready to run, by queue (0: none waiting).",
		[]string{"queue"}, nil)
)

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- queueDepth; ch <- queueAge }

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	rows, err := c.db.QueryContext(ctx, `SELECT queue, state, count(*), min(scheduled_at) FROM river_job
		WHERE state IN ('available', 'pending', 'running', 'retryable', 'scheduled') GROUP BY queue, state`)
	if err != nil {
		if c.log != nil {
			c.log.Warn("metrics: read the job queue", slog.Any("error", err))
		}
		return
	}
	defer rows.Close()
	now := time.Now()
	ages := map[string]float64{}
	seen := map[[2]string]bool{}
	for rows.Next() {
		var queue, state string
		var n int64
		var oldest any
		if err := rows.Scan(&queue, &state, &n, &oldest); err != nil {
			return
		}
		if queue == "mail" {
			continue // jobs left from before the outbox was its own queue; it is read below
		}
		ch <- prometheus.MustNewConstMetric(queueDepth, prometheus.GaugeValue, float64(n), queue, state)
		seen[[2]string{queue, state}] = true
		if _, ok := ages[queue]; !ok {
			ages[queue] = 0
		}
		if state == "available" {
			if t, ok := asTime(oldest); ok && now.After(t) {
				ages[queue] = now.Sub(t).Seconds()
			}
		}
	}
	c.collectOutbox(ctx, ch, now, seen, ages)
	// DaoYue's queues are always reported, at zero when empty, so a graph
	// or an alert sees 0 rather than no data.
	for _, q := range []string{"default", "meetings", "mail"} {
		for _, st := range []string{"available", "running", "retryable", "scheduled"} {
			if !seen[[2]string{q, st}] {
				ch <- prometheus.MustNewConstMetric(queueDepth, prometheus.GaugeValue, 0, q, st)
			}
		}
		if _, ok := ages[q]; !ok {
			ages[q] = 0
		}
	}
	for q, age := range ages {
		ch <- prometheus.MustNewConstMetric(queueAge, prometheus.GaugeValue, age, q)
	}
}

// collectOutbox reports the emails waiting in the outbox as the "mail"
// queue (jobs/maildrain.go): due and unclaimed are available, claimed are
// running, waiting for a retry are retryable.
func (c *queueCollector) collectOutbox(ctx context.Context, ch chan<- prometheus.Metric, now time.Time, seen map[[2]string]bool, ages map[string]float64) {
	var running, available, retryable, oldest sql.NullInt64
	err := c.db.QueryRowContext(ctx, `SELECT
		  sum(CASE WHEN claimed_until > $1 THEN 1 ELSE 0 END),
		  sum(CASE WHEN claimed_until <= $1 AND next_attempt_at <= $1 THEN 1 ELSE 0 END),
		  sum(CASE WHEN claimed_until <= $1 AND next_attempt_at > $1 THEN 1 ELSE 0 END),
		  min(CASE WHEN claimed_until <= $1 AND next_attempt_at <= $1
		      THEN CASE WHEN next_attempt_at > created_at THEN next_attempt_at ELSE created_at END END)
		FROM outbox WHERE status = 'queued'`, now.Unix()).Scan(&running, &available, &retryable, &oldest)
	if err != nil {
		if c.log != nil {
			c.log.Warn("metrics: read the outbox", slog.Any("error", err))
		}
		return
	}
	for st, n := range map[string]sql.NullInt64{"running": running, "available": available, "retryable": retryable} {
		ch <- prometheus.MustNewConstMetric(queueDepth, prometheus.GaugeValue, float64(n.Int64), "mail", st)
		seen[[2]string{"mail", st}] = true
	}
	ages["mail"] = 0
	if oldest.Valid && now.Unix() > oldest.Int64 {
		ages["mail"] = float64(now.Unix() - oldest.Int64)
	}
}

// asTime reads a timestamp as either driver returns min() of one: a
// time.Time (PostgreSQL) or text (SQLite).
func asTime(v any) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t, true
	case string:
		return parseTime(t)
	case []byte:
		return parseTime(string(t))
	}
	return time.Time{}, false
}

func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
