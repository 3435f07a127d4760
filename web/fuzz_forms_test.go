package web

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/internal/testenv"
	"github.com/daoyue/daoyue/notify"
	"github.com/daoyue/daoyue/notify/smtptest"
	"github.com/daoyue/daoyue/store/storetest"
)

// More parsers of outside input, fuzzed: slot queries, the booking page's
// form, the sign-in form and the invitation (account creation) form. The
// answer is always a decision or a page, never a server error.

func FuzzSlotQuery(f *testing.F) {
	e := newAPIEnv(f, storetest.NewSQLite(f))
	e.srv.limiter = newRateLimiter(1<<30, 1e9)
	svc, prac := e.A.Online.ID, e.A.Lin.ID
	for _, seed := range [][4]string{
		{svc, prac, "2030-01-08", "2030-01-08"}, {svc, "", "2030-01-01", "2030-03-01"}, {svc, "", "2030-02-30", "2030-01-01"},
		{"nope", "x", "0000-01-01", "9999-12-31"}, {svc, prac, "2030-01-08T10:00:00Z", "yesterday"}, {"", "", "", ""},
		{svc, "", "2030-1-8", "2030-01-08\x00"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3])
	}
	f.Fuzz(func(t *testing.T, service, practitioner, from, to string) {
		q := url.Values{"service_id": {service}, "practitioner_id": {practitioner}, "from": {from}, "to": {to}}
		req := httptest.NewRequest("GET", "/api/v1/public/workspaces/studio-a/slots?"+q.Encode(), nil)
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK, http.StatusNotFound, http.StatusUnprocessableEntity:
		default:
			t.Fatalf("%d for %v: %s", rec.Code, q, rec.Body)
		}
	})
}

// postForm sends a form as a browser would, from the given address.
func postForm(e *apiEnv, path string, form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = "198.51.100.2:1234"
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	return rec
}

func FuzzBookingForm(f *testing.F) {
	e := newAPIEnv(f, storetest.NewSQLite(f))
	e.srv.limiter = newRateLimiter(1<<30, 1e9)
	svc := e.A.Online.ID
	for _, seed := range [][5]string{
		{svc, "", apiAt(1, 10, 0), "王小明", "ming@example.com"}, {svc, "x", "not a time", "", ""},
		{"", "", "", "\u202Eevil", "a@b"}, {svc, "", apiAt(1, 10, 0), strings.Repeat("名", 200), "x@y.example"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3], seed[4])
	}
	f.Fuzz(func(t *testing.T, service, practitioner, start, name, email string) {
		rec := postForm(e, "/w/studio-a/book", url.Values{"service": {service}, "practitioner": {practitioner}, "start": {start},
			"name": {name}, "email": {email}})
		if rec.Code >= 500 {
			t.Fatalf("%d for %q %q %q %q %q: %s", rec.Code, service, practitioner, start, name, email, rec.Body)
		}
	})
}

func FuzzSignInForm(f *testing.F) {
	e := newAPIEnv(f, storetest.NewSQLite(f))
	for _, seed := range [][3]string{
		{"owner@a.example", apiPassword, "/admin"}, {"", "", ""}, {"x\x00@y", strings.Repeat("p", 5000), "//evil.example"},
		{"OWNER@A.EXAMPLE ", "wrong", "/\\evil"}, {"a@b", "pw", "https://evil.example/"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, email, password, next string) {
		rec := postForm(e, "/admin/login", url.Values{"email": {email}, "password": {password}, "next": {next}})
		if rec.Code >= 500 {
			t.Fatalf("%d for %q %q %q: %s", rec.Code, email, password, next, rec.Body)
		}
		if loc := rec.Header().Get("Location"); loc != "" && !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") {
			t.Fatalf("sign-in redirected off the site: %q", loc)
		}
	})
}

func FuzzInvitationForm(f *testing.F) {
	e := newAPIEnv(f, storetest.NewSQLite(f))
	e.srv.limiter = newRateLimiter(1<<30, 1e9)
	for _, seed := range [][3]string{
		{"nonexistent-token", "新人", "a good long password"}, {"", "", ""}, {"../../admin", "\r\n", strings.Repeat("x", 100)},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, token, name, password string) {
		rec := postForm(e, "/invite/"+url.PathEscape(token), url.Values{"name": {name}, "password": {password}})
		if rec.Code >= 500 {
			t.Fatalf("%d for %q %q %q: %s", rec.Code, token, name, password, rec.Body)
		}
	})
}

// FuzzSignupForm posts the sign-up form (open, with an SMTP server) and
// its link's form: a decision or a page, never a server error.
func FuzzSignupForm(f *testing.F) {
	te := testenv.New(f, storetest.NewSQLite(f), testenv.Options{Start: pgNow})
	srv := New(Config{App: te.App, Store: te.DB, Log: te.Log, BaseURL: te.Front.URL, Signup: true})
	srv.limiter = newRateLimiter(1<<30, 1e9)
	te.Serve(srv)
	mail := smtptest.NewServer(f, smtptest.Options{})
	sender, err := notify.NewSMTP(mail.URL(), "DaoYue <no-reply@daoyue.test>")
	if err != nil {
		f.Fatal(err)
	}
	te.App.Mail = app.Mail{BaseURL: te.Front.URL, From: sender.From(), Sender: sender}
	te.DB.SetEnqueuer(func(context.Context, *sql.Tx, daoyue.Job) error { return nil }) // no job runner here
	e := &apiEnv{srv: srv}
	for _, seed := range [][6]string{
		{"mei@lotus.example", "lotus flowers in spring", "林美玲", "蓮花瑜珈", "lotus", "Asia/Taipei"},
		{"", "", "", "", "", ""}, {"a@b", "short", "\u202Eevil", strings.Repeat("名", 200), "ADMIN", "Local"},
		{"x@y.example", "a good long password", "x\r\ny", "studio", "-bad-", "Mars/Olympus"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3], seed[4], seed[5])
	}
	f.Fuzz(func(t *testing.T, email, password, name, studio, slug, zone string) {
		rec := postForm(e, "/signup", url.Values{"email": {email}, "password": {password}, "your_name": {name},
			"studio_name": {studio}, "slug": {slug}, "time_zone": {zone}})
		if rec.Code >= 500 {
			t.Fatalf("%d for %q %q %q %q %q: %s", rec.Code, email, name, studio, slug, zone, rec.Body)
		}
		if rec := postForm(e, "/signup/"+url.PathEscape(slug), url.Values{"slug": {slug}}); rec.Code >= 500 {
			t.Fatalf("%d for the link %q: %s", rec.Code, slug, rec.Body)
		}
	})
}
