package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/store/storetest"
)

// The client's booking flow as issue 13's walk-through on a phone found
// it, over HTTP: what only a browser can tell (focus, the zone choice, no
// jump to the top) is in e2e/phone_test.go.
func TestClientWalkthroughFixes(t *testing.T) {
	t.Parallel()
	e := newPageEnv(t, storetest.NewSQLite(t))
	A := e.A
	b := e.browser(t)

	// A tapped day keeps the place: day links go to the day's times, month
	// links to the calendar.
	cal := b.get("/w/studio-a?service=" + A.Online.ID).wantStatus(http.StatusOK)
	day := cal.Doc.Find("#calendar a.cal-day.free").First()
	if href, _ := day.Attr("href"); !strings.HasSuffix(href, "#times") {
		t.Errorf("a day links to %q, not to its times", href)
	}
	if href, _ := cal.Doc.Find("#calendar a.cal-nav").First().Attr("href"); !strings.HasSuffix(href, "#calendar") {
		t.Errorf("a month links to %q, not to the calendar", href)
	}
	cal.wantCount("#times", 1)

	// Steps count from 1 on a studio page with several services: 2 for
	// the time, 3 for the details.
	cal.wantText("h2.step-title .step-no", "2")

	// "Any practitioner" only when it is so: a chosen practitioner, or the
	// only one who delivers the service, is named on the details step.
	form := b.click(b.get("/w/studio-a?service="+A.Online.ID+"&practitioner="+A.Lin.ID), "a.btn-time")
	form.wantText("#chosen-practitioner", A.Lin.Name)
	form = b.click(b.get("/w/studio-a?service="+A.PayFirst.ID), "a.btn-time")
	form.wantText("#chosen-practitioner", A.Chen.Name)
	form = b.click(b.get("/w/studio-a?service="+A.Online.ID), "a.btn-time")
	form.wantText("#chosen-practitioner", msg("zh-TW", "label.any_practitioner_assigned"))

	// "Too long" says the limit.
	long := b.submit(form, "form.book-form", url.Values{"name": {strings.Repeat("林", daoyue.MaxClientName+1)}, "email": {"mei@client.example"}})
	long.wantStatus(http.StatusUnprocessableEntity)
	long.wantText("#e-name", msg("zh-TW", "error.too_long_max", "max", daoyue.MaxClientName))
	long.wantText("#e-name", "100")

	// Just taken, then submitted without a time: the time choice is the
	// marked field, the day stays, and name, email and note stay.
	form = b.click(b.get("/w/studio-a?service="+A.PayFirst.ID), "a.btn-time")
	taken := form.attr(`form.book-form input[name=start]`, "value")
	start, _ := time.Parse(time.RFC3339, taken)
	e.book("studio-a", A.PayFirst, "", start, "Someone Else")
	typed := url.Values{"name": {"林小美"}, "email": {"mei@client.example"}, "note": {"第一次上課"}}
	retry := b.submit(form, "form.book-form", typed).wantStatus(http.StatusConflict)
	day1 := retry.attr(`form.book-form input[name=date]`, "value")
	if day1 != start.In(pgTaipei).Format(time.DateOnly) {
		t.Fatalf("the retry form is for %q, the taken time's day is %s", day1, start)
	}
	again := b.submit(retry, "form.book-form", typed).wantStatus(http.StatusUnprocessableEntity)
	again.checkWellFormed("zh-TW")
	if got := again.attr("#f-start", "aria-invalid"); got != "true" {
		t.Errorf("the time choice is not marked: %q", got)
	}
	again.wantText("#e-start", msg("zh-TW", "error.pick_time"))
	if got := again.attr(`form.book-form input[name=date]`, "value"); got != day1 {
		t.Errorf("jumped to %q from %q", got, day1)
	}
	if again.count(`form.book-form input[type=radio][name=start]`) == 0 {
		t.Error("no times offered")
	}
	if v := again.attr(`form.book-form [name=name]`, "value"); v != "林小美" {
		t.Errorf("name lost: %q", v)
	}
	if v := again.attr(`form.book-form [name=email]`, "value"); v != "mei@client.example" {
		t.Errorf("email lost: %q", v)
	}
	again.wantText(`form.book-form textarea[name=note]`, "第一次上課")

	// A past time in a link says so, not "just booked".
	past := b.get("/w/studio-a?service=" + A.Online.ID + "&start=" + url.QueryEscape(pgAt(-1, 10, 0).Format(time.RFC3339)))
	past.wantText("#page-error", msg("zh-TW", "error.slot_past"))
	past.wantNoText(msg("zh-TW", "error.slot_unavailable"))

	// Not found, with a way on.
	for _, c := range []struct {
		path, help, to string
	}{
		{"/b/not-a-real-link", "page.error.manage_link_help", "/"},
		{"/w/no-such-studio", "page.error.studio_help", "/"},
		{"/w/studio-a?service=sv_nothing", "page.error.service_help", "/w/studio-a"},
	} {
		p := b.get(c.path).wantStatus(http.StatusNotFound)
		p.wantText(".lead", msg("zh-TW", c.help))
		if href := p.attr("#error-home", "href"); href != c.to {
			t.Errorf("%s: way on %q, want %q", c.path, href, c.to)
		}
	}

	// After a request, the manage page shows it instead of its form.
	bk := e.book("studio-a", A.Online, A.Lin.ID, pgAt(1, 10, 0), "Dana")
	m := b.get("/b/" + bk.ManageToken)
	m.wantCount("#reschedule", 1)
	m.wantCount("#cancel form", 1)
	b.post("/b/"+bk.ManageToken+"/reschedule", url.Values{"start": {"2030-01-08T10:30:00+08:00"}})
	m = b.get("/b/" + bk.ManageToken)
	m.wantCount("#open-request", 1)
	m.wantText("#request-wait", msg("zh-TW", "msg.request_open_wait"))
	m.wantCount("#reschedule", 0)
	b.post("/b/"+bk.ManageToken+"/cancel", url.Values{"reason": {"臨時有事"}})
	m = b.get("/b/" + bk.ManageToken)
	m.wantText("#open-request", "取消預約")
	m.wantCount("#cancel", 0)
	if strings.Contains(m.HTML, `action="/b/`+bk.ManageToken+`/cancel"`) {
		t.Error("the cancel form is offered again")
	}
	// "Too long" on the manage page says its limit too.
	bk2 := e.book("studio-a", A.Online, A.Lin.ID, pgAt(2, 10, 0), "Eve")
	r := b.post("/b/"+bk2.ManageToken+"/cancel", url.Values{"reason": {strings.Repeat("x", daoyue.MaxRequestReason+1)}})
	r.wantText("#e-reason", msg("zh-TW", "error.too_long_max", "max", daoyue.MaxRequestReason))
}

// A studio page of one service: steps start at 1.
func TestSingleServiceSteps(t *testing.T) {
	t.Parallel()
	e := newPageEnv(t, storetest.NewSQLite(t))
	if _, err := e.app.ResetReviewSandbox(context.Background(), "reviewer@zoom-review.test", pgPassword); err != nil {
		t.Fatal(err)
	}
	b := e.browser(t)
	p := b.get("/w/" + app.ReviewSlug).wantStatus(http.StatusOK)
	p.wantText("h2.step-title .step-no", "1")
	form := b.click(p, "a.btn-time")
	form.wantText("#sum-h .step-no", "2")
}
