package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// Sign-in throttling, over HTTP on both databases: every attempt counts
// before its password is checked, per email and address and per address,
// with growing delays rather than a lock, shared by every instance.

// signInForm posts the sign-in form to srv from the client address addr
// (the test servers trust 127.0.0.1's X-Forwarded-For) and returns the
// status and Retry-After.
func signInForm(t *testing.T, srv, addr, email, password string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", srv+"/admin/login", strings.NewReader(url.Values{"email": {email}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if addr != "" {
		req.Header.Set("X-Forwarded-For", addr)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode == http.StatusSeeOther {
		return http.StatusOK, "" // signed in
	}
	return resp.StatusCode, resp.Header.Get("Retry-After")
}

// behindProxy is another instance of the server over the same app and
// database, trusting the loopback proxy's X-Forwarded-For.
func behindProxy(t *testing.T, a *app.App, db *store.DB) string {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ts := httptest.NewServer(New(Config{App: a, Store: db, Log: log, BaseURL: "http://daoyue.test",
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}))
	t.Cleanup(ts.Close)
	return ts.URL
}

// parallel runs n sign-ins at once and counts the answers by status.
func parallel(t *testing.T, srv, addr, email string, password func(i int) string, n int) map[int]int {
	var mu sync.Mutex
	got := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			st, _ := signInForm(t, srv, addr, email, password(i))
			mu.Lock()
			got[st]++
			mu.Unlock()
		}(i)
	}
	close(start)
	wg.Wait()
	return got
}

func TestLoginParallelGuessesAreCountedFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		srv := behindProxy(t, e.app, db)
		// 300 guesses at once against one account: 5 passwords are
		// checked (401), the rest refused before any check (429).
		got := parallel(t, srv, "203.0.113.1", "owner@a.example", func(i int) string { return "guess number " + string(rune('a'+i%26)) }, 300)
		if got[401] > 5 || got[401]+got[429] != 300 {
			t.Fatalf("300 parallel guesses: %v (at most 5 may be checked)", got)
		}
		// The right password among 60 parallel guesses from a fresh
		// address: at most 5 checked, and it signs in only if it was one
		// of them (its success starts the count afresh, so at most 4
		// wrong ones before it and 5 after).
		got = parallel(t, srv, "203.0.113.2", "owner@b.example", func(i int) string {
			if i == 59 {
				return apiPassword
			}
			return "wrong guess"
		}, 60)
		if (got[200] == 0 && got[401] > 5) || (got[200] == 1 && got[401] > 9) || got[200] > 1 {
			t.Fatalf("60 parallel guesses with the right one: %v", got)
		}
	})
}

func TestLoginNoLockoutOfTheOwner(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		srv := behindProxy(t, e.app, db)
		for i := 0; i < 12; i++ {
			signInForm(t, srv, "203.0.113.66", "owner@a.example", "the attacker's guess")
		}
		if st, _ := signInForm(t, srv, "203.0.113.66", "owner@a.example", apiPassword); st != 429 {
			t.Fatalf("the guessing address: %d, want 429", st)
		}
		if st, _ := signInForm(t, srv, "198.51.100.7", "owner@a.example", apiPassword); st != 200 {
			t.Fatalf("the owner from her own address: %d, want signed in", st)
		}
	})
}

func TestLoginGrowingDelays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		srv := behindProxy(t, e.app, db)
		now := apiNow
		e.app.Now = func() time.Time { return now }
		const addr = "203.0.113.5"
		for i := 0; i < 5; i++ {
			if st, _ := signInForm(t, srv, addr, "owner@a.example", "wrong"); st != 401 {
				t.Fatalf("failure %d: %d", i, st)
			}
		}
		for _, wait := range []int{1, 2, 4, 8} {
			st, after := signInForm(t, srv, addr, "owner@a.example", apiPassword)
			if st != 429 || after != itoa(wait) {
				t.Fatalf("before the %d s wait: %d, Retry-After %q", wait, st, after)
			}
			now = now.Add(time.Duration(wait) * time.Second)
			if st, _ := signInForm(t, srv, addr, "owner@a.example", "wrong"); st != 401 {
				t.Fatalf("after the %d s wait: %d, want the password checked", wait, st)
			}
		}
		now = now.Add(16 * time.Second)
		if st, _ := signInForm(t, srv, addr, "owner@a.example", apiPassword); st != 200 {
			t.Fatalf("right password after the wait: %d", st)
		}
		// Success starts afresh.
		if st, _ := signInForm(t, srv, addr, "owner@a.example", "wrong"); st != 401 {
			t.Fatalf("after a success: %d", st)
		}
	})
}

// One address cannot ask for unbounded password checks by trying many
// emails.
func TestLoginPerAddressBound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		srv := behindProxy(t, e.app, db)
		got := map[int]int{}
		for i := 0; i < 40; i++ {
			st, _ := signInForm(t, srv, "203.0.113.9", "someone"+itoa(i)+"@elsewhere.example", "a guess")
			got[st]++
		}
		if got[401] != 30 || got[429] != 10 {
			t.Fatalf("40 emails from one address: %v, want 30 checked and 10 refused", got)
		}
		if st, _ := signInForm(t, srv, "198.51.100.1", "owner@a.example", apiPassword); st != 200 {
			t.Fatalf("another address: %d", st)
		}
	})
}

// Two instances on one database count the same attempts.
func TestLoginThrottleShared(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		one := behindProxy(t, e.app, db)
		other := app.New(db, e.app.Log)
		other.Now = e.app.Now
		two := behindProxy(t, other, db)
		for i := 0; i < 5; i++ {
			signInForm(t, one, "203.0.113.7", "owner@a.example", "wrong")
		}
		if st, _ := signInForm(t, two, "203.0.113.7", "owner@a.example", apiPassword); st != 429 {
			t.Fatalf("the other instance: %d, want 429", st)
		}
	})
}
