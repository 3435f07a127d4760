package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
)

// A client's data: exported with every booking and email of that address
// (and nothing of another client), then erased on request, bookings keeping
// their times and prices; staff may export but not erase, a practitioner
// member neither.
func TestClientDataExportAndErase(t *testing.T) {
	eachPageStore(t, func(t *testing.T, e *pageEnv) {
		ming := e.book("studio-a", e.A.Online, e.A.Lin.ID, pgAt(1, 10, 0), "Ming Wang")
		other := e.book("studio-a", e.A.Online, e.A.Chen.ID, pgAt(1, 11, 0), "Da Hua")
		owner := e.browser(t)
		owner.login("owner@a.example")
		data := owner.get("/admin/studio-a/data").wantStatus(http.StatusOK)
		data.checkWellFormed("zh-TW")

		resp := owner.raw(http.MethodGet, "/admin/studio-a/data/client.json?email="+url.QueryEscape(ming.Booking.Client.Email), nil)
		defer resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") || resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("export: %d %v", resp.StatusCode, resp.Header)
		}
		var ex app.ClientExport
		if err := json.NewDecoder(resp.Body).Decode(&ex); err != nil {
			t.Fatal(err)
		}
		if len(ex.Bookings) != 1 || ex.Bookings[0].ID != ming.Booking.ID || ex.Bookings[0].Client.Name != "Ming Wang" {
			t.Fatalf("export: %+v", ex.Bookings)
		}
		raw, _ := json.Marshal(ex)
		if strings.Contains(string(raw), other.Booking.ID) || strings.Contains(string(raw), "Da Hua") {
			t.Fatal("the export holds another client's data")
		}

		// Erase: confirm first; then the personal data is gone.
		unsure := owner.submit(data, `form[action$="/data/erase"]`, url.Values{"erase_email": {ming.Booking.Client.Email}})
		unsure.wantText("#e-sure", msg("zh-TW", "error.confirm_erase"))
		done := owner.submit(data, `form[action$="/data/erase"]`, url.Values{"erase_email": {ming.Booking.Client.Email}, "sure": {"yes"}})
		done.wantText(".flash-ok", msg("zh-TW", "flash.client_erased", "n", 1))
		detail := owner.get("/admin/studio-a/bookings/" + ming.Booking.ID).wantStatus(http.StatusOK)
		if strings.Contains(detail.HTML, "Ming Wang") || strings.Contains(detail.HTML, ming.Booking.Client.Email) {
			t.Error("the booking still shows the erased client")
		}
		detail.wantText("main", "2030年1月8日")
		if strings.Contains(owner.get("/admin/studio-a/outbox").HTML, ming.Booking.Client.Email) {
			t.Error("the outbox still shows the erased client's address")
		}
		if !strings.Contains(owner.get("/admin/studio-a/bookings/"+other.Booking.ID).HTML, "Da Hua") {
			t.Error("another client was erased too")
		}

		// Who may: staff export but do not erase; a practitioner member neither.
		api := newAPIEnvOn(e)
		staff := mustMember(t, e, "staff@a.example", "staff")
		api.must(200, "GET", "/api/v1/workspaces/studio-a/clients/export?email="+url.QueryEscape(other.Booking.Client.Email), staff, nil)
		if r := api.do("POST", "/api/v1/workspaces/studio-a/clients/erase", staff, map[string]any{"email": other.Booking.Client.Email}); r.status != 403 {
			t.Errorf("staff erase: %d", r.status)
		}
	})
}

// The owner exports the studio (JSON and a spreadsheet-safe CSV) and
// deletes it: it disappears at once for everyone and its data is purged
// after the grace period by the sweep.
func TestStudioExportAndDelete(t *testing.T) {
	eachPageStore(t, func(t *testing.T, e *pageEnv) {
		now := pgNow
		e.app.Now = func() time.Time { return now }
		e.bookAs("studio-a", e.A.Online, e.A.Lin.ID, pgAt(1, 10, 0), "=HYPERLINK(\"http://x\")", "csv@client.example")
		owner := e.browser(t)
		owner.login("owner@a.example")
		resp := owner.raw(http.MethodGet, "/admin/studio-a/data/bookings.csv", nil)
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(readAll(t, resp), "\uFEFF"))).ReadAll()
		if err != nil || len(rows) != 2 || rows[1][6] != "'=HYPERLINK(\"http://x\")" {
			t.Fatalf("CSV: %v %q", err, rows)
		}
		resp = owner.raw(http.MethodGet, "/admin/studio-a/data/studio.json", nil)
		var ex app.StudioExport
		if err := json.Unmarshal([]byte(readAll(t, resp)), &ex); err != nil || ex.Workspace.Slug != "studio-a" || len(ex.Bookings) != 1 || len(ex.Members) != 1 {
			t.Fatalf("studio export: %v %+v", err, ex)
		}
		api := newAPIEnvOn(e)
		admin := mustMember(t, e, "admin@a.example", "admin")
		if r := api.do("GET", "/api/v1/workspaces/studio-a/export", admin, nil); r.status != 403 {
			t.Errorf("an admin exports the studio: %d", r.status)
		}

		data := owner.get("/admin/studio-a/data")
		wrong := owner.submit(data, `form[action$="/data/delete"]`, url.Values{"confirm": {"studio"}})
		wrong.wantText("#e-confirm", msg("zh-TW", "error.confirm_slug"))
		gone := owner.submit(data, `form[action$="/data/delete"]`, url.Values{"confirm": {"studio-a"}})
		gone.wantText(".flash-ok", msg("zh-TW", "flash.studio_deleted"))
		e.browser(t).get("/w/studio-a").wantStatus(http.StatusNotFound)
		owner.get("/admin/studio-a/bookings").wantStatus(http.StatusNotFound)
		e.browser(t).get("/w/studio-b").wantStatus(http.StatusOK)

		// Purged after the grace period, not before.
		if n, err := e.app.PurgeDeletedStudios(t.Context()); err != nil || n != 0 {
			t.Fatalf("purged at once: %d %v", n, err)
		}
		now = now.Add(app.StudioPurgeAfter + time.Hour)
		if n, err := e.app.PurgeDeletedStudios(t.Context()); err != nil || n != 1 {
			t.Fatalf("purge: %d %v", n, err)
		}
	})
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return b.String()
}

// mustMember adds a member with role to studio A and returns an API token.
func mustMember(t *testing.T, e *pageEnv, email, role string) string {
	t.Helper()
	if _, err := e.app.EnsureMember(t.Context(), "studio-a", email, "", pgPassword, roleOf(role)); err != nil {
		t.Fatal(err)
	}
	return newAPIEnvOn(e).token(email)
}

func roleOf(s string) daoyue.Role { return daoyue.Role(s) }

// bookAs books as a client with that name and email.
func (e *pageEnv) bookAs(slug string, svc *daoyue.Service, pracID string, start time.Time, name, email string) *app.Booked {
	e.t.Helper()
	b, err := e.app.Book(context.Background(), slug, app.BookInput{ServiceID: svc.ID, PractitionerID: pracID, Start: start,
		Client: daoyue.Client{Name: name, Email: email}, Language: "zh-TW"})
	if err != nil {
		e.t.Fatalf("book %s at %s: %v", svc.Name, start, err)
	}
	return b
}
