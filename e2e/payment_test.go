package e2e

import (
	"strings"
	"testing"
	"time"
)

// paymentArrives bounds how long the simulator's signed notification takes
// to reach DaoYue and the invoice job to issue (both run in the background).
const paymentArrives = 30 * time.Second

// chenZoomUser is the simulated Zoom's second account (zoomsim.DefaultUsers).
const chenZoomUser = "pQ7sVb2XRmO-hE5tYk9cNa"

// connectChenZoom connects 陳志明's Zoom (the demo's pay-first host) as the
// signed-in owner, and makes it his default meeting tool.
func connectChenZoom(owner *tab, base string) {
	owner.t.Helper()
	owner.open(base + "/admin/demo/practitioners")
	owner.clickTo(`a[href="` + owner.hrefOf(`table a[href*="/practitioners/"]`, "陳志明") + `"]`)
	owner.clickTo("#zoom-connect")
	authorizeInZoom(owner, base+"/zoomsim/", chenZoomUser)
	owner.waitVisible(`#zoom-status[data-status="connected"]`)
	if owner.has("#zoom-default") {
		owner.clickTo("#zoom-default")
		owner.waitVisible("#zoom-is-default")
	}
}

// bookPayFirst books the demo's pay-first online service at its first free
// time with a mobile-barcode invoice, and returns the manage token.
func bookPayFirst(c *tab, base, name, email string) string {
	c.t.Helper()
	c.open(base + "/w/demo")
	c.clickTo(`a[href="` + c.hrefOf("a.service-card", "先付款") + `"]`)
	c.clickTo(".time-grid a.btn-time")
	c.waitVisible("form.book-form")
	c.fill("#f-name", name)
	c.fill("#f-email", email)
	if !c.has("#invoice-choice") {
		c.fail("see the invoice choice", errorf("the demo studio's pay-first form asks nothing about the e-invoice"))
	}
	c.do("choose the mobile barcode", clickAction("#invoice-type-mobile"))
	c.fill("#f-invoice-carrier", "/ABC1234")
	c.clickTo(`form.book-form button[type="submit"]`)
	path := c.path()
	if !strings.HasPrefix(path, "/b/") {
		c.fail("submit the booking", errorf("landed on %s: %s", c.location(), c.text("main")))
	}
	return strings.TrimPrefix(path, "/b/")
}

// A client books the demo's pay-first online service, pays by card on the
// simulated ECPay page, is back on the manage page with the booking
// confirmed ("the Zoom link is in your email") and its invoice; the studio
// sees it confirmed, paid, invoiced and with its meeting.
func TestPaidBookingCardJourney(t *testing.T) {
	needE2E(t)
	p := startProduct(t)
	owner := newTab(t, "studio owner", "zh-TW", desktop)
	signIn(owner, p.Base, demoEmail, demoPassword)
	connectChenZoom(owner, p.Base)

	c := newTab(t, "client", "zh-TW", phone)
	token := bookPayFirst(c, p.Base, "付款客人", "card.client@example.com")
	if got := c.text(".next-step"); !strings.Contains(got, "付款") {
		t.Fatalf("after booking the manage page says %q, want a payment deadline", got)
	}
	if got := c.text("#invoice"); !strings.Contains(got, "付款後開立") || !strings.Contains(got, "/ABC1234") {
		t.Fatalf("the manage page's invoice: %q", got)
	}
	c.shot("payment-manage-awaiting")

	// Pay now: our page posts the signed form to ECPay (the simulator).
	c.clickTo("#pay-now")
	c.waitVisible("#pay-credit")
	if !strings.Contains(c.location(), "/ecpaysim/") {
		t.Fatalf("pay now led to %s, not ECPay", c.location())
	}
	if got := c.text("#amount"); !strings.Contains(got, "1500") {
		t.Fatalf("ECPay shows the amount %q", got)
	}
	c.shot("payment-ecpay-checkout")
	c.clickTo("#pay-credit")
	c.waitVisible("#back-to-merchant")
	c.clickTo("#back-to-merchant")
	if c.path() != "/b/"+token {
		t.Fatalf("back from ECPay on %s", c.location())
	}
	c.eventually("see the booking confirmed", paymentArrives, func() bool {
		return c.has(".status-card .badge-confirmed")
	})
	if got := c.text(".next-step"); !strings.Contains(got, "Zoom 連結會寄到您的 email") {
		t.Fatalf("the confirmed manage page says %q", got)
	}
	c.eventually("see the invoice issued", paymentArrives, func() bool { return c.has("#invoice-number") })
	invoiceNo := c.text("#invoice-number")
	c.shot("payment-manage-confirmed")
	c.setLang("en")
	if got := c.text(".next-step"); !strings.Contains(got, "the Zoom link is on its way to your email") {
		t.Fatalf("the confirmed manage page says %q in English", got)
	}
	c.shot("payment-manage-confirmed")

	// The studio: confirmed, paid by card, invoiced, with its meeting.
	owner.open(p.Base + "/admin/demo/bookings?tab=upcoming")
	detail := owner.hrefOf("tr.booking-row", "付款客人")
	owner.open(p.Base + detail)
	if !owner.has(".booking-head .badge-confirmed") {
		t.Fatalf("the booking is not confirmed: %s", owner.text(".booking-head"))
	}
	if got := owner.text("#pay-h + dl"); !strings.Contains(got, "已付款") {
		t.Fatalf("the payment section: %q", got)
	}
	if got := owner.text("#invoice-number"); got != invoiceNo {
		t.Fatalf("the studio sees invoice %q, the client %q", got, invoiceNo)
	}
	m := waitForMeeting(owner)
	if m.ID == "" {
		t.Fatal("no meeting")
	}
	owner.shot("payment-booking-detail-paid")
	owner.setLang("en")
	owner.shot("payment-booking-detail-paid")
	owner.setLang("zh-TW")
	assertNoMeetingDetails(t, p, m, "/w/demo")
}

// The same by ATM: the studio gives the service a three-day deadline (ATM
// needs whole days), the client takes a virtual account at ECPay, sees it
// on the manage page, and the payment arrives later (the simulator's
// "customer paid" button): the booking is confirmed, paid and invoiced.
func TestPaidBookingATMJourney(t *testing.T) {
	needE2E(t)
	p := startProduct(t)
	owner := newTab(t, "studio owner", "zh-TW", desktop)
	signIn(owner, p.Base, demoEmail, demoPassword)
	connectChenZoom(owner, p.Base)
	owner.open(p.Base + "/admin/demo/services")
	owner.clickTo(`a[href="` + owner.hrefOf(`a[href*="/services/"]`, "先付款") + `"]`)
	owner.fill("#f-payment-deadline-minutes", "4320")
	owner.clickTo(`form.service-form button[type="submit"]`)
	if !owner.has(".flash-ok") {
		t.Fatalf("saving the service: %s", owner.text("main"))
	}

	c := newTab(t, "client", "zh-TW", phone)
	token := bookPayFirst(c, p.Base, "轉帳客人", "atm.client@example.com")
	c.clickTo("#pay-now")
	c.waitVisible("#pay-ATM")
	tradeNo := c.text("#trade-no")
	c.clickTo("#pay-ATM")
	c.waitVisible("#atm-vaccount")
	account := c.text("#atm-vaccount")
	c.shot("payment-ecpay-atm-account")
	c.clickTo("#back-to-merchant")
	if c.path() != "/b/"+token {
		t.Fatalf("back from ECPay on %s", c.location())
	}
	c.eventually("see the ATM account on the manage page", paymentArrives, func() bool {
		return c.has("#payment-account") && c.text("#payment-account") == account
	})
	if !c.has(".status-card .badge-awaiting_payment") {
		t.Fatalf("before the transfer the booking is %s", c.text(".status-card"))
	}
	c.shot("payment-manage-atm-details")

	// Later: the client transfers; ECPay tells DaoYue.
	ecpay := newTab(t, "ECPay", "zh-TW", desktop)
	ecpay.open(p.Base + "/ecpaysim/")
	ecpay.clickTo("#sim-pay-" + tradeNo)

	c.eventually("see the booking confirmed", paymentArrives, func() bool {
		return c.has(".status-card .badge-confirmed")
	})
	if got := c.text(".next-step"); !strings.Contains(got, "Zoom 連結會寄到您的 email") {
		t.Fatalf("the confirmed manage page says %q", got)
	}
	c.eventually("see the invoice issued", paymentArrives, func() bool { return c.has("#invoice-number") })
	if c.has("#payment-account") {
		t.Fatal("the paid booking still shows the ATM account to pay")
	}

	owner.open(p.Base + "/admin/demo/bookings?tab=upcoming")
	owner.open(p.Base + owner.hrefOf("tr.booking-row", "轉帳客人"))
	if !owner.has(".booking-head .badge-confirmed") {
		t.Fatalf("the booking is not confirmed: %s", owner.text(".booking-head"))
	}
	if got := owner.text("#invoice-number"); got != c.text("#invoice-number") || got == "" {
		t.Fatalf("the studio sees invoice %q", got)
	}
	waitForMeeting(owner)
	owner.shot("payment-booking-detail-atm")
}
