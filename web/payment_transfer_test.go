package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// setTransferInstructions makes slug take bank transfers.
func (e *pageEnv) setTransferInstructions(slug, text string) {
	e.t.Helper()
	ctx := context.Background()
	err := e.db.Update(ctx, func(tx daoyue.Tx) error {
		ws, err := tx.WorkspaceBySlug(ctx, slug)
		if err != nil {
			return err
		}
		ws.PaymentInstructions = text
		return tx.UpdateWorkspace(ctx, ws)
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// A client of a pay-first service pays by bank transfer: the manage page
// shows the studio's account and a report form; bad input is refused in
// the client's language and changes nothing; the report holds the booking
// past its deadline and lists it in the studio's Pending tab, where one
// click confirms it (and the client is emailed the confirmation).
func TestBankTransferJourney(t *testing.T) {
	t.Parallel()
	eachPageStore(t, func(t *testing.T, e *pageEnv) {
		e.setTransferInstructions("studio-a", "國泰世華 013\n帳號 123-456-789012\n戶名 甲工作室")
		bk := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, time.Date(2030, 1, 8, 2, 0, 0, 0, time.UTC), "王小明")
		client := e.browser(t)
		manage := client.get("/b/" + bk.ManageToken).wantStatus(http.StatusOK)
		manage.wantText("#payment-instructions", "帳號 123-456-789012")
		manage.wantCount("#transfer form", 1)
		if v := manage.attr("#transfer input[name=amount]", "value"); v != "1500" {
			t.Errorf("amount prefilled with %q, want the price 1500", v)
		}
		if manage.attr("#transfer input[name=last5]", "inputmode") != "numeric" {
			t.Error("last five digits do not ask for a numeric keyboard")
		}

		// Bad input: each field says what is wrong; nothing is reported.
		bad := client.post("/b/"+bk.ManageToken+"/transfer", url.Values{"last5": {"12a4"}, "amount": {"0"}, "sent_at": {"2030-02-01T10:00"}})
		if bad.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad report: %d", bad.Status)
		}
		bad.wantText("#transfer .has-error", msg("zh-TW", "error.transfer_last5"))
		for _, f := range []string{"last5", "amount", "sent_at"} {
			if bad.count(`#transfer input[name=`+f+`][aria-invalid=true]`) != 1 {
				t.Errorf("field %s not marked", f)
			}
		}
		if v := bad.attr("#transfer input[name=last5]", "value"); v != "12a4" {
			t.Errorf("the typed value is lost: %q", v)
		}
		e.wantBooking(bk.Booking.ID, daoyue.StatusAwaitingPayment, daoyue.PaymentUnpaid)

		// Full-width digits from a phone keyboard are fine.
		done := client.post("/b/"+bk.ManageToken+"/transfer", url.Values{"last5": {"１２３４５"}, "amount": {"1500"}, "sent_at": {"2030-01-07T07:50"}})
		done.wantStatus(http.StatusOK)
		done.wantText(".flash-ok", msg("zh-TW", "flash.transfer_reported"))
		done.wantText(".next-step", msg("zh-TW", "msg.next.transfer_reported"))
		done.wantCount("#transfer", 0)
		e.wantBooking(bk.Booking.ID, daoyue.StatusAwaitingPayment, daoyue.PaymentReportedByClient)
		// Reporting again is refused.
		if st := client.raw(http.MethodPost, "/b/"+bk.ManageToken+"/transfer", url.Values{"last5": {"99999"}, "amount": {"1500"}, "sent_at": {"2030-01-07T07:55"}}).StatusCode; st != http.StatusConflict {
			t.Errorf("second report: %d", st)
		}

		// Past its deadline the reported booking does not expire.
		e.app.Now = func() time.Time { return pgNow.Add(25 * time.Hour) }
		if n, err := e.app.ExpireDue(context.Background()); err != nil || n != 0 {
			t.Fatalf("expired %d (%v) with a transfer reported", n, err)
		}

		// The studio: Pending lists it, the detail shows the report, one click confirms.
		studio := e.browser(t)
		studio.login("owner@a.example")
		list := studio.get("/admin/studio-a/bookings?tab=pending")
		if !strings.Contains(list.text("main"), "王小明") {
			t.Fatalf("Pending tab does not list the reported transfer:\n%s", list.text("main"))
		}
		detail := studio.get("/admin/studio-a/bookings/" + bk.Booking.ID)
		detail.wantText("#reported-transfer", "12345")
		detail.wantText("#reported-transfer", "NT$1,500")
		detail.wantCount("#transfer-mismatch", 0)
		after := studio.submit(detail, `#reported-transfer form[action$="/transfer/confirm"]`, nil)
		after.wantText(".flash-ok", msg("zh-TW", "flash.transfer_confirmed"))
		after.wantCount("#reported-transfer", 0)
		e.wantBooking(bk.Booking.ID, daoyue.StatusConfirmed, daoyue.PaymentPaid)
		if !strings.Contains(after.text("main"), "…12345") {
			t.Error("the payment note does not name the transfer")
		}
		// Confirming twice is refused.
		if st := studio.raw(http.MethodPost, "/admin/studio-a/bookings/"+bk.Booking.ID+"/transfer/confirm", nil).StatusCode; st != http.StatusConflict {
			t.Errorf("second confirmation: %d", st)
		}
		confirmed := client.get("/b/" + bk.ManageToken)
		confirmed.wantText(".status-card .badge", "已排程")
	})
}

// A reported transfer the studio cannot find: the booking owes payment
// again and, past its deadline, expires; an amount that differs from the
// price is pointed out; another studio's member and a stranger can do
// nothing with it; a studio without transfer details offers no report.
func TestBankTransferRejectedAndAbuse(t *testing.T) {
	t.Parallel()
	eachPageStore(t, func(t *testing.T, e *pageEnv) {
		e.setTransferInstructions("studio-a", "郵局 700 帳號 0001234-5678901")
		bk := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, time.Date(2030, 1, 8, 2, 0, 0, 0, time.UTC), "陳小姐")
		client := e.browser(t)
		client.post("/b/"+bk.ManageToken+"/transfer", url.Values{"last5": {"54321"}, "amount": {"500"}, "sent_at": {"2030-01-07T07:40"}}).wantStatus(http.StatusOK)

		// Strangers and the other studio cannot confirm it.
		path := "/admin/studio-a/bookings/" + bk.Booking.ID + "/transfer/confirm"
		if st := e.browser(t).raw(http.MethodPost, path, nil).StatusCode; st != http.StatusUnauthorized {
			t.Errorf("a stranger's confirmation: %d", st)
		}
		other := e.browser(t)
		other.login("owner@b.example")
		if st := other.raw(http.MethodPost, path, nil).StatusCode; st != http.StatusNotFound {
			t.Errorf("studio B's owner confirming A's booking: %d", st)
		}
		if st := other.raw(http.MethodPost, "/admin/studio-b/bookings/"+bk.Booking.ID+"/transfer/confirm", nil).StatusCode; st != http.StatusNotFound {
			t.Errorf("studio B's owner through its own slug: %d", st)
		}
		e.wantBooking(bk.Booking.ID, daoyue.StatusAwaitingPayment, daoyue.PaymentReportedByClient)

		studio := e.browser(t)
		studio.login("owner@a.example")
		detail := studio.get("/admin/studio-a/bookings/" + bk.Booking.ID)
		detail.wantText("#transfer-mismatch", msg("zh-TW", "msg.transfer_amount_differs"))
		e.app.Now = func() time.Time { return pgNow.Add(25 * time.Hour) }
		studio.submit(detail, `#reported-transfer form[action$="/transfer/reject"]`, nil).wantText(".flash-ok", msg("zh-TW", "flash.transfer_rejected"))
		e.wantBooking(bk.Booking.ID, daoyue.StatusAwaitingPayment, daoyue.PaymentUnpaid)
		if n, err := e.app.ExpireDue(context.Background()); err != nil || n != 1 {
			t.Fatalf("after 'not found' past the deadline: expired %d (%v)", n, err)
		}

		// Studio B has no transfer details: no form, and a posted report is refused.
		bb := e.book("studio-b", e.B.PayFirst, e.B.Chen.ID, time.Date(2030, 1, 8, 2, 0, 0, 0, time.UTC), "林先生")
		client.get("/b/"+bb.ManageToken).wantCount("#transfer", 0)
		if st := client.raw(http.MethodPost, "/b/"+bb.ManageToken+"/transfer", url.Values{"last5": {"11111"}, "amount": {"1500"}, "sent_at": {"2030-01-07T07:40"}}).StatusCode; st != http.StatusConflict {
			t.Errorf("report without transfer details: %d", st)
		}
		// A made-up manage token is not found.
		if st := client.raw(http.MethodPost, "/b/not-a-token/transfer", url.Values{"last5": {"11111"}, "amount": {"1500"}, "sent_at": {"2030-01-07T07:40"}}).StatusCode; st != http.StatusNotFound {
			t.Errorf("report on an unknown token: %d", st)
		}
	})
}

// Cancelling a paid booking owes the money back: the client's page says
// so, the booking waits in Pending until the studio records the refund
// (in part, then the rest) or keeps the money.
func TestRefundOwedAfterCancel(t *testing.T) {
	t.Parallel()
	eachPageStore(t, func(t *testing.T, e *pageEnv) {
		bk := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, time.Date(2030, 1, 8, 2, 0, 0, 0, time.UTC), "張同學")
		studio := e.browser(t)
		studio.login("owner@a.example")
		base := "/admin/studio-a/bookings/" + bk.Booking.ID
		studio.post(base+"/payment", url.Values{"method": {"card"}}).wantStatus(http.StatusOK)
		studio.post(base+"/cancel", url.Values{"reason": {"老師生病"}}).wantStatus(http.StatusOK)
		detail := studio.get(base)
		detail.wantText("#refund-owed", "NT$1,500")
		if !strings.Contains(studio.get("/admin/studio-a/bookings?tab=pending").text("main"), "張同學") {
			t.Error("Pending does not list a refund owed")
		}
		e.browser(t).get("/b/"+bk.ManageToken).wantText(".next-step", "NT$1,500")

		tooMuch := studio.post(base+"/refund", url.Values{"amount": {"1,600"}})
		if tooMuch.Status != http.StatusUnprocessableEntity || tooMuch.count(`#refund input[name=amount][aria-invalid=true]`) != 1 {
			t.Fatalf("refund above what is owed: %d", tooMuch.Status)
		}
		studio.post(base+"/refund", url.Values{"amount": {"600"}}).wantText("#refund-owed", "NT$900")
		got := studio.post(base+"/refund", url.Values{"amount": {"900"}})
		got.wantCount("#refund-owed", 0)
		got.wantText("#refunded", "NT$1,500")
		if strings.Contains(studio.get("/admin/studio-a/bookings?tab=pending").text("main"), "張同學") {
			t.Error("Pending still lists a refunded booking")
		}
	})
}

// wantBooking checks a booking's status and payment status in the store.
func (e *pageEnv) wantBooking(id string, st daoyue.Status, ps daoyue.PaymentStatus) {
	e.t.Helper()
	ctx := context.Background()
	_ = e.db.View(ctx, func(tx daoyue.Tx) error {
		ws, err := tx.WorkspaceBySlug(ctx, "studio-a")
		if err != nil {
			return err
		}
		b, err := tx.Booking(ctx, ws.ID, id)
		if err != nil {
			e.t.Fatal(err)
		}
		if b.Status != st || b.PaymentStatus != ps {
			e.t.Errorf("booking %s: %s/%s, want %s/%s", id, b.Status, b.PaymentStatus, st, ps)
		}
		return nil
	})
}

// The same through the JSON API: the client reports with the manage
// token, another studio cannot confirm, the studio confirms; refunds.
func TestAPIBankTransfer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newAPIEnv(t, db)
		e.must(200, "PATCH", "/api/v1/workspaces/studio-a", e.tokA, map[string]any{"payment_instructions": "郵局 700 帳號 0001234-5678901"})
		b := e.mustBook("studio-a", e.A.PayFirst, e.A.Chen, apiAt(1, 10, 0))
		report := "/api/v1/public/bookings/" + b.ManageToken + "/transfer-report"
		bad := e.do("POST", report, "", map[string]any{"last5": "1234", "amount": 1500, "sent_at": "yesterday"})
		if bad.status != 422 || !strings.Contains(string(bad.body), "last5") || !strings.Contains(string(bad.body), "sent_at") {
			t.Fatalf("bad report: %d %s", bad.status, bad.body)
		}
		var cb struct{ Payment struct{ Status string } }
		e.must(200, "POST", report, "", map[string]any{"last5": "24680", "amount": 1500, "sent_at": apiAt(0, 7, 30)}).decode(t, &cb)
		if cb.Payment.Status != "reported" {
			t.Fatalf("payment status after the report: %q", cb.Payment.Status)
		}
		e.must(404, "POST", "/api/v1/workspaces/studio-b/bookings/"+b.ID+"/transfer/confirm", e.tokB, nil)
		e.must(404, "POST", "/api/v1/workspaces/studio-a/bookings/"+b.ID+"/transfer/confirm", e.tokB, nil)
		var d struct {
			Status  string
			Payment struct {
				Status     string
				RefundOwed int64 `json:"refund_owed"`
				Refunded   int64
			}
		}
		e.must(200, "POST", "/api/v1/workspaces/studio-a/bookings/"+b.ID+"/transfer/confirm", e.tokA, nil).decode(t, &d)
		if d.Status != "confirmed" || d.Payment.Status != "paid" {
			t.Fatalf("after confirmation: %s/%s", d.Status, d.Payment.Status)
		}
		e.must(200, "POST", "/api/v1/workspaces/studio-a/bookings/"+b.ID+"/cancel", e.tokA, map[string]any{"reason": "x"}).decode(t, &d)
		if d.Payment.RefundOwed != 1500 {
			t.Fatalf("refund owed after cancelling: %d", d.Payment.RefundOwed)
		}
		e.must(422, "POST", "/api/v1/workspaces/studio-a/bookings/"+b.ID+"/refunds", e.tokA, map[string]any{"amount": 1501})
		e.must(200, "POST", "/api/v1/workspaces/studio-a/bookings/"+b.ID+"/refunds", e.tokA, map[string]any{"amount": 500}).decode(t, &d)
		e.must(200, "POST", "/api/v1/workspaces/studio-a/bookings/"+b.ID+"/refund/waive", e.tokA, nil).decode(t, &d)
		if d.Payment.RefundOwed != 0 || d.Payment.Refunded != 500 {
			t.Errorf("after a partial refund and a waiver: owed %d refunded %d", d.Payment.RefundOwed, d.Payment.Refunded)
		}
		e.must(409, "POST", "/api/v1/workspaces/studio-a/bookings/"+b.ID+"/refund/waive", e.tokA, nil)
	})
}

// The client is told about money owed back and given back: the
// cancellation of a paid booking says what will be refunded, and each
// recorded refund is its own email.
func TestRefundEmails(t *testing.T) {
	t.Parallel()
	eachPageStore(t, func(t *testing.T, e *pageEnv) {
		mb := e.withMail(t)
		bk := e.book("studio-a", e.A.PayFirst, e.A.Chen.ID, time.Date(2030, 1, 8, 2, 0, 0, 0, time.UTC), "張同學")
		studio := e.browser(t)
		studio.login("owner@a.example")
		base := "/admin/studio-a/bookings/" + bk.Booking.ID
		studio.post(base+"/payment", url.Values{"method": {"card"}}).wantStatus(http.StatusOK)
		studio.post(base+"/cancel", url.Values{"reason": {"老師生病"}}).wantStatus(http.StatusOK)
		studio.post(base+"/refund", url.Values{"amount": {"1500"}}).wantStatus(http.StatusOK)
		var cancelled, refunded string
		for _, m := range mb.deliver(t) {
			if !strings.Contains(m.Header.Get("To"), "@client.example") {
				continue
			}
			switch {
			case strings.Contains(m.Subject, "已取消"):
				cancelled = m.Text
			case strings.HasPrefix(m.Subject, "退款通知"):
				refunded = m.Text
			}
		}
		if !strings.Contains(cancelled, "待退款") || !strings.Contains(cancelled, "NT$1,500") {
			t.Errorf("the cancellation does not say what is owed back:\n%s", cancelled)
		}
		if !strings.Contains(refunded, msg("zh-TW", "mail.lead.refunded")) || !strings.Contains(refunded, "已退款") ||
			strings.Contains(refunded, "待退款") {
			t.Errorf("the refund email:\n%s", refunded)
		}
	})
}
