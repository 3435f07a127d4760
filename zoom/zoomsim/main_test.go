package zoomsim_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue/internal/testenv"
	"github.com/daoyue/daoyue/zoom/zoomsim"
)

// TestMountedUnderPrefix serves the simulator at /zoomsim/ of another
// server, as DaoYue's developer mode may.
func TestMountedUnderPrefix(t *testing.T) {
	t.Parallel()
	s := zoomsim.New(zoomsim.Options{RedirectURLs: []string{redirect}})
	mux := http.NewServeMux()
	mux.Handle("/zoomsim/", http.StripPrefix("/zoomsim", s.Handler()))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "app", http.StatusTeapot) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	base := srv.URL + "/zoomsim"
	s.SetBaseURL(base)
	e := &env{t: t, s: s, hc: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}

	// The consent helper posts to the form's relative action, which must
	// land under the prefix.
	loc, err := s.Consent(context.Background(), authorizeURL(base, authParams(s)), "", true)
	if err != nil {
		t.Fatalf("consent under a prefix: %v", err)
	}
	a := e.tokenCall(url.Values{"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")}, "redirect_uri": {redirect}})
	if a.status != 200 || a.json(t)["api_url"] != base {
		t.Fatalf("token under a prefix: %d %s", a.status, a.body)
	}
	access := a.json(t)["access_token"].(string)
	a = e.api("POST", "/users/me/meetings", access, createBody())
	if a.status != 201 || !strings.HasPrefix(a.json(t)["join_url"].(string), base+"/j/") {
		t.Fatalf("create under a prefix: %d %s", a.status, a.body)
	}
	if j := e.get(a.json(t)["join_url"].(string)); j.status != 200 {
		t.Fatalf("join page under a prefix: %d", j.status)
	}
}

func TestMain_(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	out := &testenv.SyncBuffer{}
	done := make(chan error, 1)
	go func() { done <- zoomsim.Main(ctx, "127.0.0.1:0", zoomsim.Options{ClientID: "dev-id"}, out) }()
	re := regexp.MustCompile(`DAOYUE_ZOOM_OAUTH_URL=(\S+)`)
	var base string
	for i := 0; i < 200 && base == ""; i++ {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	if base == "" {
		t.Fatalf("no base URL printed: %q", out.String())
	}
	text := out.String()
	for _, want := range []string{"DAOYUE_ZOOM_API_URL=" + base + "/v2", "DAOYUE_ZOOM_CLIENT_ID=dev-id", "DAOYUE_ZOOM_CLIENT_SECRET=", "DAOYUE_ZOOM_WEBHOOK_SECRET=", "meiling.lin@example.com"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	q := url.Values{"response_type": {"code"}, "client_id": {"dev-id"}, "redirect_uri": {"http://localhost:8080/oauth/zoom/callback"}}
	resp, err := http.Get(base + "/oauth/authorize?" + q.Encode())
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("consent page of Main: %v %v", resp, err)
	}
	resp.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Main returned %v", err)
	}
}
