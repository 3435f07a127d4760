package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/internal/testenv"
	"github.com/daoyue/daoyue/jobs"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
	"github.com/daoyue/daoyue/zoom/zoomsim"
)

// Fixtures of the Zoom tests: the two demo studios on a real store behind a
// real HTTP server, an app that talks to the Zoom simulator over HTTP, and
// the River runner doing the meeting syncs. One clock drives DaoYue, the
// Zoom client and the simulator, so state and code lifetimes are testable
// without sleeping.

const zoomWebhookSecret = testenv.ZoomWebhookSecret

type zoomEnv struct {
	*pageEnv
	api   *apiEnv
	sim   *zoomsim.Sim
	clock *zoomsim.Clock
	srv   *Server
	// zLin and zChen are the simulator's two test Zoom accounts.
	zLin, zChen zoomsim.User
}

func newZoomEnv(t *testing.T, db *store.DB) *zoomEnv {
	t.Helper()
	// The sweep requeues a sync whose change committed while the booking's
	// previous job was finishing; tests run it often.
	te := testenv.New(t, db, testenv.Options{Start: pgNow, Zoom: true,
		Jobs: &jobs.Options{PollInterval: 50 * time.Millisecond, SweepInterval: 250 * time.Millisecond}})
	srv := New(Config{App: te.App, Store: db, Log: te.Log, BaseURL: te.Front.URL, ZoomWebhookSecret: zoomWebhookSecret})
	te.Serve(srv)
	pe := pageEnvOn(t, te)
	e := &zoomEnv{pageEnv: pe, sim: te.Sim, clock: te.Clock, srv: srv, zLin: te.ZoomLin, zChen: te.ZoomChen}
	e.api = &apiEnv{t: t, db: db, app: te.App, srv: srv, ts: te.Front, A: pe.A, B: pe.B, spec: loadAPISpec(t)}
	e.api.tokA = e.api.token("owner@a.example")
	e.api.tokB = e.api.token("owner@b.example")
	return e
}

// eachZoomStore runs fn on SQLite and, when configured, on PostgreSQL.
func eachZoomStore(t *testing.T, fn func(t *testing.T, e *zoomEnv)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) { fn(t, newZoomEnv(t, db)) })
}

// webhookURL is where Zoom posts events.
func (e *zoomEnv) webhookURL() string { return e.ts.URL + "/webhooks/zoom" }

// pressConnect submits the Zoom card's connect button on page p and
// returns the answer (a redirect to Zoom's consent page), unread.
func (b *browser) pressConnect(p *page) *http.Response {
	b.t.Helper()
	form := p.Doc.Find("#zoom-connect").Closest("form")
	if form.Length() == 0 {
		b.t.Fatalf("%s: no #zoom-connect button: %s", p.URL, p.visible())
	}
	action, _ := form.Attr("action")
	data := url.Values{}
	form.Find("input[type=hidden]").Each(func(_ int, s *goquery.Selection) {
		n, _ := s.Attr("name")
		v, _ := s.Attr("value")
		data.Add(n, v)
	})
	resp := b.raw(http.MethodPost, action, data)
	if resp.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("connect: status %d", resp.StatusCode)
	}
	return resp
}

// consent opens Zoom's consent page at authorizeURL, picks the Zoom user
// and presses Allow (button #allow) or Deny, and returns Zoom's redirect
// back to DaoYue (the callback URL), not yet followed.
func (b *browser) consent(authorizeURL, userID string, allow bool) *url.URL {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, authorizeURL, nil)
	cp := b.read(b.do(req))
	if cp.Status != http.StatusOK {
		b.t.Fatalf("consent page: %d %s", cp.Status, cp.visible())
	}
	button := "#deny"
	if allow {
		button = "#allow"
	}
	btn := cp.Doc.Find(button)
	if btn.Length() == 0 {
		b.t.Fatalf("consent page has no %s button", button)
	}
	form := btn.Closest("form")
	action, _ := form.Attr("action")
	target, err := url.Parse(authorizeURL)
	if err != nil {
		b.t.Fatal(err)
	}
	target, _ = target.Parse(action)
	data := url.Values{}
	form.Find("input[type=hidden]").Each(func(_ int, s *goquery.Selection) {
		n, _ := s.Attr("name")
		v, _ := s.Attr("value")
		data.Add(n, v)
	})
	data.Set("user", userID)
	name, _ := btn.Attr("name")
	value, _ := btn.Attr("value")
	data.Set(name, value)
	post, _ := http.NewRequest(http.MethodPost, target.String(), strings.NewReader(data.Encode()))
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp := b.do(post)
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		b.t.Fatalf("consent answered %d", resp.StatusCode)
	}
	back, err := resp.Location()
	if err != nil {
		b.t.Fatal(err)
	}
	if !strings.HasSuffix(back.Path, "/oauth/zoom/callback") {
		b.t.Fatalf("Zoom sent the browser to %s", back.Path)
	}
	return back
}

// open fetches an absolute URL, following redirects.
func (b *browser) open(u *url.URL) *page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u.String(), nil)
	return b.follow(b.do(req))
}

// connectVia runs the whole connect flow from page p: press 連結 Zoom,
// allow as the Zoom user, and land back in DaoYue.
func (b *browser) connectVia(p *page, userID string) *page {
	b.t.Helper()
	resp := b.pressConnect(p)
	resp.Body.Close()
	return b.open(b.consent(resp.Header.Get("Location"), userID, true))
}

// wait polls the booking until cond holds: meeting syncs are asynchronous.
func (e *zoomEnv) wait(slug, id, what string, cond func(*daoyue.Booking) bool) *daoyue.Booking {
	e.t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var b *daoyue.Booking
		err := e.db.View(ctx, func(tx daoyue.Tx) error {
			ws, err := tx.WorkspaceBySlug(ctx, slug)
			if err != nil {
				return err
			}
			b, err = tx.Booking(ctx, ws.ID, id)
			return err
		})
		if err != nil {
			e.t.Fatal(err)
		}
		if cond(b) {
			return b
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("booking %s never got %s: meeting %+v", id, what, b.Meeting)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// connection is practitioner pid's Zoom connection, or nil.
func (e *zoomEnv) connection(wsSlug, pid string) *daoyue.ZoomConnection {
	e.t.Helper()
	ctx := context.Background()
	var c *daoyue.ZoomConnection
	err := e.db.View(ctx, func(tx daoyue.Tx) error {
		ws, err := tx.WorkspaceBySlug(ctx, wsSlug)
		if err != nil {
			return err
		}
		c, err = tx.ZoomConnection(ctx, ws.ID, pid)
		return err
	})
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return nil
	}
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// apiZoomOf is a practitioner's meeting_tools.zoom through the API.
func (e *zoomEnv) apiZoomOf(slug, pid, token string) zoomToolJSON {
	e.t.Helper()
	var p practitionerJSON
	e.api.must(200, "GET", "/api/v1/workspaces/"+slug+"/practitioners/"+pid, token, nil).decode(e.t, &p)
	return p.MeetingTools.Zoom
}

// apiMeeting is a booking's meeting through the API.
func (e *zoomEnv) apiMeeting(slug, id, token string, headers ...string) (meetingJSON, *apiResp) {
	e.t.Helper()
	var d struct {
		Meeting meetingJSON `json:"meeting"`
	}
	r := e.api.must(200, "GET", "/api/v1/workspaces/"+slug+"/bookings/"+id, token, nil, headers...)
	r.decode(e.t, &d)
	return d.Meeting, r
}
