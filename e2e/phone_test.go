package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// A client books on a phone (390×844), in both languages: service → day →
// time → form → result, pictured at each step (docs/screenshots
// phone-flow-*). What only a browser can tell: tapping a day keeps the
// place (no reload to the top), a refused form puts the focus on the
// first field to fix, and a client abroad can see and pick the times in
// their own zone.
func TestPhoneBookingFlow(t *testing.T) {
	needE2E(t)
	p := startProduct(t)
	for i, lang := range []string{"zh-TW", "en"} {
		b := newTab(t, "client", lang, phone)
		b.open(p.Base + "/w/demo?lang=" + lang)
		b.shot("phone-flow-1-services")

		// The online one-to-one service.
		name := map[string]string{"zh-TW": "線上一對一瑜珈", "en": "線上一對一瑜珈"}[lang]
		b.open(p.Base + b.hrefOf("a.service-card", name))
		b.waitVisible("#calendar")
		b.shot("phone-flow-2-calendar")

		// Tap another free day: the times change in place, the page does
		// not reload nor jump to the top, and the times are on screen.
		run(b, "mark the page", chromedp.Evaluate[bool](`window.__stay = true; document.getElementById("calendar").scrollIntoView(); true`))
		before := b.text("#times-h")
		b.do("tap another day", chromedp.Evaluate[chromedp.Void](`document.querySelector("#calendar a.cal-day.free:not(.selected)").click()`))
		b.do("wait for the day's times", chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.getElementById("times-h") && document.getElementById("times-h").innerText !== %q`, before)))
		if !run(b, "the same page", chromedp.Evaluate[bool](`window.__stay === true`)) {
			t.Errorf("%s: tapping a day reloaded the page", lang)
		}
		if !strings.Contains(b.location(), "date=") {
			t.Errorf("%s: the address does not say the day: %s", lang, b.location())
		}
		b.do("let the scroll settle", chromedp.Sleep(700*time.Millisecond))
		if y := run(b, "scroll position", evalInt(`Math.round(window.scrollY)`)); y == 0 {
			t.Errorf("%s: the page jumped to the top after a day was tapped", lang)
		}
		if !run(b, "times on screen", chromedp.Evaluate[bool](`(() => { const r = document.getElementById("times").getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; })()`)) {
			t.Errorf("%s: the day's times are off screen", lang)
		}
		b.shotTop("phone-flow-3-times")

		// A time: the form.
		b.clickTo("#times a.btn-time")
		b.waitVisible("form.book-form")
		b.shot("phone-flow-4-form")

		// Sent empty: refused, and the focus is on the first field to fix.
		b.do("send the empty form", chromedp.Click(chromedp.CSS(`form.book-form button[type="submit"]`), chromedp.NodeVisible))
		b.waitVisible("#e-name")
		if got := run(b, "the focused field", chromedp.Evaluate[string](`document.activeElement ? document.activeElement.name || document.activeElement.id : ""`)); got != "name" {
			t.Errorf("%s: after a refused form the focus is on %q, want the name field", lang, got)
		}

		b.fill("#f-name", map[string]string{"zh-TW": "王小明", "en": "Alex Client"}[lang])
		b.fill("#f-email", fmt.Sprintf("phone.client%d@example.com", i))
		b.clickTo(`form.book-form button[type="submit"]`)
		if !strings.HasPrefix(b.path(), "/b/") {
			b.fail("book", errorf("landed on %s", b.location()))
		}
		b.waitVisible(".flash-ok")
		b.shot("phone-flow-5-result")
	}

	// A client in Los Angeles: a clearly labelled choice shows and picks
	// the times in their zone; the booked time is the one they picked.
	c := newTab(t, "client abroad", "en", phone)
	c.do("move the client to Los Angeles", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "America/Los_Angeles"})
		return err
	}))
	c.open(p.Base + "/w/demo?lang=en")
	c.open(p.Base + c.hrefOf("a.service-card", "線上一對一瑜珈"))
	c.waitVisible(".tz-choice")
	if got := c.text(".tz-choice"); !strings.Contains(got, "America/Los_Angeles") || !strings.Contains(got, "my time zone") {
		t.Errorf("the zone choice says %q", got)
	}
	studioText := c.text("#times a.btn-time .main-time")
	c.do("choose my zone", clickAction(".tz-choice .tz-toggle"))
	// The script redraws the times after the click; a loaded machine may
	// take a moment.
	c.eventually("see the times in my zone", 10*time.Second, func() bool {
		return c.attr("#times a.btn-time", "data-zone-shown") == "America/Los_Angeles"
	})
	mine := c.text("#times a.btn-time .main-time")
	if mine == studioText {
		t.Errorf("the time still reads %q in the client's zone", mine)
	}
	if got := c.text("#times .tz-note"); !strings.Contains(got, "your time zone") {
		t.Errorf("the times are not labelled as the client's zone: %q", got)
	}
	c.shotTop("phone-times-in-my-zone")
	// The choice stays on the next page: the chosen time reads in LA time.
	c.clickTo("#times a.btn-time")
	c.waitVisible("form.book-form")
	if got := c.attr("#details [data-start]", "data-zone-shown"); got != "America/Los_Angeles" {
		t.Errorf("the chosen time is shown in %q", got)
	}

	// The studio's booking history: the actor's email does not run into
	// the action column (desktop).
	o := newTab(t, "owner", "zh-TW", desktop)
	signIn(o, p.Base, demoEmail, demoPassword)
	o.open(p.Base + "/admin/demo/bookings?tab=upcoming")
	o.clickTo(`a.row-link[href^="/admin/demo/bookings/"]`)
	o.waitVisible(".history")
	overlap := run(o, "measure the history", chromedp.Evaluate[string](`(() => {
		for (const li of document.querySelectorAll(".history li")) {
			const who = li.querySelector(".who"), what = li.querySelector(".what");
			if (!who || !what) continue;
			const a = who.getBoundingClientRect(), b = what.getBoundingClientRect();
			if (a.top === b.top && a.right > b.left + 1) return who.innerText + " overlaps " + what.innerText;
			if (who.scrollWidth > who.clientWidth + 1) return who.innerText + " overflows";
		}
		return "";
	})()`))
	if overlap != "" {
		t.Errorf("booking history: %s", overlap)
	}
}
