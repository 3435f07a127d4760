package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// The loadtest's booking submissions: --only submit posts bookings for
// distinct free slots across the practitioners of one or more studios;
// --only contend sends rounds of --concurrency simultaneous submissions
// for one slot each, of which exactly one may win (201) and the rest must
// be told the slot is gone (409). The server must run with
// DAOYUE_LOADTEST_LIMITS=on (and DAOYUE_TRUSTED_PROXIES=127.0.0.1 for the
// simulated addresses), or its public booking limits refuse the load
// after a few bookings: they are made against bots, and a loadtest is one.

// slotRef is one free slot that a submission takes.
type slotRef struct{ slug, service, practitioner, start string }

// bases round-robins over several servers (--url a,b): a tiny load
// balancer in the loadtest itself. A server that refuses a connection is
// taken out, as a load balancer's health check would, and the request is
// sent again to the next one.
type bases struct {
	urls []string
	down []atomic.Bool
}

func newBases(urls []string) *bases { return &bases{urls: urls, down: make([]atomic.Bool, len(urls))} }

// pick returns the index of a live server for request i, or -1.
func (b *bases) pick(i int) int {
	for k := 0; k < len(b.urls); k++ {
		j := (i + k) % len(b.urls)
		if !b.down[j].Load() {
			return j
		}
	}
	return -1
}

// collectSlots reads each studio's first service and, for each of its
// practitioners, the free slots of the next 60 days, and keeps starts far
// enough apart (1.5 × the service's duration) that no two taken slots of
// a practitioner overlap with the service's buffer. The slots are
// interleaved across studios and practitioners so that simultaneous
// submissions are for different calendars.
func collectSlots(ctx context.Context, c *http.Client, base string, slugs []string) ([]slotRef, error) {
	var lists [][]slotRef
	from := time.Now().Format(time.DateOnly)
	to := time.Now().AddDate(0, 0, 59).Format(time.DateOnly)
	for _, slug := range slugs {
		var pub struct {
			Services []struct {
				ID              string `json:"id"`
				DurationMinutes int    `json:"duration_minutes"`
				Practitioners   []struct {
					ID string `json:"id"`
				} `json:"practitioners"`
			} `json:"services"`
		}
		if err := getJSON(ctx, c, base+"/api/v1/public/workspaces/"+slug, &pub); err != nil || len(pub.Services) == 0 {
			return nil, fmt.Errorf("read the workspace %q: %v", slug, err)
		}
		svc := pub.Services[0]
		gap := time.Duration(svc.DurationMinutes) * time.Minute * 3 / 2
		for _, p := range svc.Practitioners {
			var res struct {
				Slots []struct {
					Start string `json:"start"`
				} `json:"slots"`
			}
			u := base + "/api/v1/public/workspaces/" + slug + "/slots?service_id=" + svc.ID + "&practitioner_id=" +
				url.QueryEscape(p.ID) + "&from=" + from + "&to=" + to
			if err := getJSON(ctx, c, u, &res); err != nil {
				return nil, fmt.Errorf("read the slots of %s in %s: %w", p.ID, slug, err)
			}
			var list []slotRef
			var last time.Time
			for _, s := range res.Slots {
				t, err := time.Parse(time.RFC3339, s.Start)
				if err != nil {
					return nil, err
				}
				if !last.IsZero() && t.Sub(last) < gap {
					continue
				}
				last = t
				list = append(list, slotRef{slug: slug, service: svc.ID, practitioner: p.ID, start: s.Start})
			}
			lists = append(lists, list)
		}
	}
	var out []slotRef
	for i := 0; ; i++ {
		more := false
		for _, l := range lists {
			if i < len(l) {
				out = append(out, l[i])
				more = true
			}
		}
		if !more {
			return out, nil
		}
	}
}

// submitter posts bookings.
type submitter struct {
	client  *http.Client
	bases   *bases
	clients int
	run     string // distinguishes this run's client emails
	retried atomic.Int64
}

// post submits one booking for s as client number i and returns the
// status (0: no answer from any server).
func (sb *submitter) post(ctx context.Context, s slotRef, i int) int {
	body, _ := json.Marshal(map[string]any{
		"service_id": s.service, "practitioner_id": s.practitioner, "start": s.start, "language": "en",
		"client": map[string]string{"name": "Load Test", "email": fmt.Sprintf("c%s-%d@loadtest.test", sb.run, i)},
	})
	for try := 0; try < len(sb.bases.urls); try++ {
		j := sb.bases.pick(i + try)
		if j < 0 {
			return 0
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, sb.bases.urls[j]+"/api/v1/public/workspaces/"+s.slug+"/bookings", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if sb.clients > 0 {
			// TEST-NET-2 addresses: a header value only, never a destination.
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.100.%d", 1+i%sb.clients))
		}
		resp, err := sb.client.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return 0
			}
			// The server is gone (killed): take it out and send again.
			sb.bases.down[j].Store(true)
			sb.retried.Add(1)
			continue
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	return 0
}

// runSubmit has concurrency clients take the slots one after another for
// dur or until they run out.
func (sb *submitter) runSubmit(ctx context.Context, slots []slotRef, concurrency int, dur time.Duration) ([]result, time.Duration, bool) {
	ctx, cancel := context.WithTimeout(ctx, dur)
	defer cancel()
	var mu sync.Mutex
	var rs []result
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for c := 0; c < concurrency; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []result
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(slots) {
					break
				}
				t0 := time.Now()
				st := sb.post(ctx, slots[i], i)
				if ctx.Err() != nil && st == 0 {
					break // cut off by the end of the run, not an answer
				}
				mine = append(mine, result{0, time.Since(t0), st})
			}
			mu.Lock()
			rs = append(rs, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return rs, time.Since(start), int(next.Load()) >= len(slots)
}

// runContend sends rounds: in each, concurrency clients submit the same
// slot at once (released together); it reports the rounds in which other
// than exactly one submission won.
func (sb *submitter) runContend(ctx context.Context, slots []slotRef, concurrency int, dur time.Duration) (rs []result, elapsed time.Duration, rounds, bad int) {
	ctx, cancel := context.WithTimeout(ctx, dur)
	defer cancel()
	start := time.Now()
	for r := 0; r < len(slots) && ctx.Err() == nil; r++ {
		round := make([]result, concurrency)
		var wg sync.WaitGroup
		gate := make(chan struct{})
		for c := 0; c < concurrency; c++ {
			wg.Add(1)
			go func(c int) {
				defer wg.Done()
				<-gate
				t0 := time.Now()
				st := sb.post(context.WithoutCancel(ctx), slots[r], r*concurrency+c)
				round[c] = result{0, time.Since(t0), st}
			}(c)
		}
		close(gate)
		wg.Wait()
		won := 0
		for _, x := range round {
			if x.status == http.StatusCreated {
				won++
			}
		}
		if won != 1 {
			bad++
		}
		rounds++
		rs = append(rs, round...)
	}
	return rs, time.Since(start), rounds, bad
}

// statusCounts orders a result set's statuses for a report line.
func statusCounts(rs []result) string {
	m := map[int]int{}
	for _, r := range rs {
		m[r.status]++
	}
	var ks []int
	for k := range m {
		ks = append(ks, k)
	}
	sort.Ints(ks)
	var b bytes.Buffer
	for _, k := range ks {
		fmt.Fprintf(&b, " %d×%d", m[k], k)
	}
	return b.String()
}
