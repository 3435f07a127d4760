package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
)

var myLinkRE = regexp.MustCompile(`https?://[^\s"<>]+/w/[a-z0-9-]+/my/[a-z0-9]+`)

// My bookings (我的預約): a client asks with their email, the link arrives
// over SMTP and works once (a button, so a mail scanner's GET does not use
// it), and the page lists their bookings at that studio — upcoming, past,
// cancelled — with a way to each one's actions, and never a meeting's
// private details. Unknown addresses get the same answer and no email;
// another studio's session or link opens nothing there.
func TestMyBookings(t *testing.T) {
	t.Parallel()
	eachPageStore(t, func(t *testing.T, e *pageEnv) {
		mb := e.withMail(t)
		ctx := context.Background()
		online := e.book("studio-a", e.A.Online, e.A.Lin.ID, pgAt(1, 10, 0), "Ming")
		inPerson := e.book("studio-a", e.A.InPerson, e.A.Lin.ID, pgAt(2, 10, 0), "Ming")
		cancelled := e.book("studio-a", e.A.Online, e.A.Chen.ID, pgAt(3, 10, 0), "Ming")
		other := e.book("studio-a", e.A.Online, e.A.Chen.ID, pgAt(1, 14, 0), "Somebody Else")
		atB := e.book("studio-b", e.B.Online, e.B.Lin.ID, pgAt(1, 10, 0), "Ming")
		err := e.db.Update(ctx, func(tx daoyue.Tx) error {
			b, err := tx.Booking(ctx, online.Booking.WorkspaceID, online.Booking.ID)
			if err != nil {
				return err
			}
			// A created meeting whose details must never reach this page.
			b.Meeting.Set(daoyue.MeetingCreated, daoyue.ReasonCreated)
			b.Meeting.ZoomID, b.Meeting.JoinURL, b.Meeting.Passcode = 81234567890, "https://zoom.us/j/81234567890?pwd=SeCrEt", "987654"
			if err := tx.UpdateBooking(ctx, b); err != nil {
				return err
			}
			c, err := tx.Booking(ctx, cancelled.Booking.WorkspaceID, cancelled.Booking.ID)
			if err != nil {
				return err
			}
			c.Status = daoyue.StatusCancelled
			return tx.UpdateBooking(ctx, c)
		})
		if err != nil {
			t.Fatal(err)
		}
		before := len(mb.deliver(t)) // the bookings' own emails

		client := e.browser(t)
		form := client.get("/w/studio-a").wantStatus(http.StatusOK)
		if form.attr("#nav-my", "href") != "/w/studio-a/my" {
			t.Error("the studio page does not link to My bookings")
		}
		client.get("/w/studio-a/my").wantCount(`form[action="/w/studio-a/my"] input[name=email]`, 1)

		// An unknown address: the same answer, no email.
		unknown := client.post("/w/studio-a/my", url.Values{"email": {"nobody@client.example"}})
		unknown.wantStatus(http.StatusOK)
		unknown.wantCount("#my-sent", 1)
		if n := len(mb.deliver(t)) - before; n != 0 {
			t.Fatalf("%d emails for an address without bookings", n)
		}
		bad := client.post("/w/studio-a/my", url.Values{"email": {"not-an-email"}})
		if bad.Status != http.StatusUnprocessableEntity || bad.count("input[name=email][aria-invalid=true]") != 1 {
			t.Errorf("a bad address: %d", bad.Status)
		}

		sent := client.post("/w/studio-a/my", url.Values{"email": {" MING@client.example "}})
		sent.wantText("#my-sent", "ming@client.example")
		link := mb.linkMatching(t, "ming@client.example", myLinkRE)
		if !strings.HasPrefix(link, "/w/studio-a/my/") {
			t.Fatalf("link %q", link)
		}
		// GET shows a button and uses nothing; a second GET still does.
		client.get(link).wantCount("#my-open", 1)
		btn := client.get(link)
		// Posted at another studio, the link opens nothing (and stays usable).
		if st := client.raw(http.MethodPost, strings.Replace(link, "/w/studio-a/", "/w/studio-b/", 1), nil).StatusCode; st != http.StatusNotFound {
			t.Errorf("studio A's link at studio B: %d", st)
		}
		list := client.submit(btn, "form:has(#my-open)", nil).wantStatus(http.StatusOK)
		if list.URL != "/w/studio-a/my" {
			t.Fatalf("landed on %s", list.URL)
		}
		list.wantText("#my-email", "ming@client.example")
		list.wantCount("#my-upcoming li.my-booking", 2)
		list.wantCount("#my-ended li.my-booking", 1)
		for _, b := range []string{online.ManageToken, inPerson.ManageToken, cancelled.ManageToken} {
			if list.count(`a[href="/b/`+b+`"]`) != 1 {
				t.Errorf("no link to the booking /b/%s…", b[:6])
			}
		}
		for _, secret := range []string{"81234567890", "SeCrEt", "987654", "zoom.us/j", other.ManageToken, atB.ManageToken, "Somebody Else"} {
			list.wantNoText(secret)
		}
		if !strings.Contains(list.text("#my-upcoming"), e.A.Online.OnlineInstructions) {
			t.Error("the online booking lacks its public instructions")
		}

		// The link worked once.
		again := client.raw(http.MethodPost, link, nil)
		if again.StatusCode != http.StatusNotFound {
			t.Errorf("the link used twice: %d", again.StatusCode)
		}
		// The session is the studio's only: studio B's page shows its form.
		cookie := ""
		u, _ := url.Parse(e.ts.URL + "/w/studio-a/my")
		for _, c := range client.c.Jar.Cookies(u) {
			if c.Name == myCookie {
				cookie = c.Value
			}
		}
		req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/w/studio-b/my", nil)
		req.AddCookie(&http.Cookie{Name: myCookie, Value: cookie})
		if p := client.read(client.do(req)); p.count(".my-booking") != 0 || p.count(`input[name=email]`) != 1 {
			t.Error("studio A's session opened studio B's list")
		}

		// A link not used within 30 minutes is gone.
		client.post("/w/studio-a/my", url.Values{"email": {"ming@client.example"}})
		late := mb.linkMatching(t, "ming@client.example", myLinkRE)
		e.app.Now = func() time.Time { return pgNow.Add(31 * time.Minute) }
		exp := client.post(late, nil)
		if exp.Status != http.StatusNotFound || exp.count("#my-expired") != 1 {
			t.Errorf("an expired link: %d", exp.Status)
		}

		// Signing out ends the session.
		e.app.Now = func() time.Time { return pgNow }
		out := client.post("/w/studio-a/my/signout", nil)
		out.wantCount(".my-booking", 0)
		req, _ = http.NewRequest(http.MethodGet, e.ts.URL+"/w/studio-a/my", nil)
		req.AddCookie(&http.Cookie{Name: myCookie, Value: cookie})
		if p := client.read(client.do(req)); p.count(".my-booking") != 0 {
			t.Error("the session works after signing out")
		}
	})
}
