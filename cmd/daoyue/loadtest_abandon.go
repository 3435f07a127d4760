package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// abandonStorm sends kinds' requests from workers clients for dur, each
// client giving up 0.2–4 ms into every request (a visitor closing the tab,
// a flaky phone network, a scraper that does not wait), and returns how
// many it gave up on. Its addresses (TEST-NET-3, a header value only) are
// apart from the patient clients'.
func abandonStorm(ctx context.Context, c *http.Client, base string, kinds []kind, workers int, dur time.Duration) int64 {
	ctx, cancel := context.WithTimeout(ctx, dur)
	defer cancel()
	var n atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				rctx, rcancel := context.WithTimeout(ctx, time.Duration(200+rand.IntN(3800))*time.Microsecond)
				req, _ := http.NewRequestWithContext(rctx, http.MethodGet, base+kinds[i%len(kinds)].path, nil)
				req.Header.Set("X-Forwarded-For", fmt.Sprintf("203.0.113.%d", 1+(w*31+i)%254))
				if resp, err := c.Do(req); err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				} else if ctx.Err() == nil {
					n.Add(1)
				}
				rcancel()
			}
		}()
	}
	wg.Wait()
	return n.Load()
}

// checkPatient reports the storm and fails when a patient client's request
// got no answer or a server error: abandoned requests must cost the others
// nothing but time.
func checkPatient(w io.Writer, abandoned int64, by map[int][]result) error {
	bad := 0
	for _, rs := range by {
		for _, r := range rs {
			if r.status == 0 || r.status >= 500 {
				bad++
			}
		}
	}
	fmt.Fprintf(w, "abandon: %d requests given up by their clients; %d of the patient clients' answers missing or a server error\n", abandoned, bad)
	if bad > 0 {
		return fmt.Errorf("abandon: %d patient requests failed", bad)
	}
	return nil
}
