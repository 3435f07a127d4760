package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"sync"
	"time"
)

// cmdLoadtest drives a running DaoYue with the public booking page's reads:
// the studio page, its month of free slots and the slots API, at a fixed
// rate for a fixed time, and reports latency percentiles per request kind.
// It only targets this machine (loopback), by design.
func cmdLoadtest(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	target := fs.String("url", "http://127.0.0.1:8080", "base URL of a running daoyue (loopback only)")
	slug := fs.String("workspace", "demo", "workspace slug whose public page is read")
	rate := fs.Int("rate", 100, "requests per second")
	dur := fs.Duration("duration", 10*time.Second, "how long to send (at most 2m)")
	clients := fs.Int("clients", 0, "spread requests over this many client addresses in X-Forwarded-For "+
		"(start the server with DAOYUE_TRUSTED_PROXIES=127.0.0.1); 0 sends as one client, which the "+
		"per-address limit slows after a burst of 150 to 20 a second")
	if err := fs.Parse(args); err != nil {
		return err
	}
	u, err := url.Parse(*target)
	if err != nil || u.Host == "" {
		return fmt.Errorf("--url: %q is not a URL", *target)
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("--url: loadtest only targets this machine (localhost, 127.0.0.0/8, ::1)")
	}
	if *rate < 1 || *rate > 2000 || *dur <= 0 || *dur > 2*time.Minute || *clients < 0 || *clients > 254 {
		return fmt.Errorf("--rate must be 1–2000, --duration at most 2m and --clients 0–254")
	}
	base := u.Scheme + "://" + u.Host
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

	var pub struct {
		Services []struct {
			ID string `json:"id"`
		} `json:"services"`
	}
	if err := getJSON(ctx, client, base+"/api/v1/public/workspaces/"+*slug, &pub); err != nil || len(pub.Services) == 0 {
		return fmt.Errorf("read the workspace %q: %v", *slug, err)
	}
	from := time.Now().Format(time.DateOnly)
	to := time.Now().AddDate(0, 0, 30).Format(time.DateOnly)
	svc := pub.Services[0].ID
	kinds := []struct{ name, path string }{
		{"GET /w/{slug}", "/w/" + *slug + "?service=" + svc},
		{"GET slots API (31 days)", "/api/v1/public/workspaces/" + *slug + "/slots?service_id=" + svc + "&from=" + from + "&to=" + to},
		{"GET /api/v1/public/workspaces/{slug}", "/api/v1/public/workspaces/" + *slug},
	}

	type result struct {
		kind    int
		latency time.Duration
		status  int
	}
	results := make(chan result, *rate)
	ctx, cancel := context.WithTimeout(ctx, *dur)
	defer cancel()
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Second / time.Duration(*rate))
	defer tick.Stop()
	collected := make(chan map[int][]result)
	go func() {
		by := map[int][]result{}
		for r := range results {
			by[r.kind] = append(by[r.kind], r)
		}
		collected <- by
	}()
	start := time.Now()
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
		case <-tick.C:
			wg.Add(1)
			go func(k int) {
				defer wg.Done()
				t0 := time.Now()
				status := 0
				req, _ := http.NewRequest(http.MethodGet, base+kinds[k%len(kinds)].path, nil)
				if *clients > 0 {
					// TEST-NET-2 addresses: a header value only, never a destination.
					req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.100.%d", 1+k%*clients))
				}
				if resp, err := client.Do(req); err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					status = resp.StatusCode
				}
				results <- result{k % len(kinds), time.Since(t0), status}
			}(n)
			continue
		}
		break
	}
	wg.Wait()
	close(results)
	by := <-collected
	elapsed := time.Since(start)
	fmt.Fprintf(stdout, "loadtest %s: %d req/s for %s\n", base, *rate, elapsed.Round(time.Millisecond))
	fmt.Fprintf(stdout, "%-40s %7s %8s %8s %8s %8s  %s\n", "request", "count", "p50", "p95", "p99", "max", "statuses")
	for k, kind := range kinds {
		rs := by[k]
		if len(rs) == 0 {
			continue
		}
		lat := make([]time.Duration, len(rs))
		statuses := map[int]int{}
		for i, r := range rs {
			lat[i] = r.latency
			statuses[r.status]++
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		q := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))].Round(10 * time.Microsecond) }
		fmt.Fprintf(stdout, "%-40s %7d %8s %8s %8s %8s  %v\n", kind.name, len(rs), q(.50), q(.95), q(.99), lat[len(lat)-1].Round(10*time.Microsecond), statuses)
	}
	return nil
}

func getJSON(ctx context.Context, c *http.Client, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("%s answered %d", u, resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}
