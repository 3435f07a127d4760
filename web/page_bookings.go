package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
)

type bookingsPage struct {
	List     *app.BookingList
	Tab      daoyue.Tab
	Tabs     []tabLink
	Rows     []bookingRow
	NextURL  string
	FirstURL string
	// Setup is the onboarding checklist of owners and admins until every
	// item is done (nil then, and for staff).
	Setup     *app.Onboarding
	PublicURL string // the studio's booking link, to share
}

type tabLink struct {
	Tab      daoyue.Tab
	Label    string
	Count    int
	URL      string
	Selected bool
}

type bookingRow struct {
	B            *daoyue.Booking
	URL          string
	Service      string
	Practitioner string
	Meeting      string
	MeetingClass string // the meeting badge's status, "" for a plain word
	MeetingTitle string
	OpenRequest  bool
}

func (s *Server) bookingsPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(w, r, "bookings", "page.bookings.title")
	if err != nil {
		return err
	}
	slug := v.Admin.Workspace.Slug
	q := r.URL.Query()
	tab := daoyue.Tab(q.Get("tab"))
	cursor := q.Get("cursor")
	explicit := tab != ""
	if !explicit {
		tab = daoyue.TabPending
	}
	valid := false
	for _, t := range daoyue.Tabs {
		valid = valid || t == tab
	}
	if !valid {
		return daoyue.ErrNotFound
	}
	list, err := s.App.ListBookings(r.Context(), slug, daoyue.BookingFilter{Tab: tab, Cursor: cursor, Limit: 25})
	if err != nil {
		return err
	}
	if !explicit && list.Counts[daoyue.TabPending] == 0 {
		tab = daoyue.TabUpcoming
		if list, err = s.App.ListBookings(r.Context(), slug, daoyue.BookingFilter{Tab: tab, Limit: 25}); err != nil {
			return err
		}
	}
	setup, err := s.App.Onboarding(r.Context(), slug)
	if err != nil {
		return err
	}
	if setup != nil && setup.Done() {
		setup = nil
	}
	base := v.Base() + "/bookings"
	bp := &bookingsPage{List: list, Tab: tab, Setup: setup, PublicURL: s.BaseURL + "/w/" + slug}
	for _, t := range daoyue.Tabs {
		bp.Tabs = append(bp.Tabs, tabLink{Tab: t, Label: v.TabLabel(t), Count: list.Counts[t],
			URL: base + "?tab=" + string(t), Selected: t == tab})
	}
	for _, b := range list.Bookings {
		row := bookingRow{B: b, URL: base + "/" + url.PathEscape(b.ID)}
		row.Meeting, row.MeetingClass, row.MeetingTitle = meetingCell(v, b)
		if svc := list.Services[b.ServiceID]; svc != nil {
			row.Service = svc.Name
		}
		if p := list.Practitioners[b.PractitionerID]; p != nil {
			row.Practitioner = p.Name
		}
		row.OpenRequest = tab == daoyue.TabPending && b.Status != daoyue.StatusPending
		bp.Rows = append(bp.Rows, row)
	}
	if list.NextCursor != "" {
		bp.NextURL = base + "?tab=" + string(tab) + "&cursor=" + url.QueryEscape(list.NextCursor)
	}
	if cursor != "" {
		bp.FirstURL = base + "?tab=" + string(tab)
	}
	v.Data = bp
	s.render(w, r, http.StatusOK, "bookings", v)
	return nil
}

// bookingDetailPage is the data of the admin booking detail page.
type bookingDetailPage struct {
	D         *app.BookingDetail
	Base      string
	Open      *daoyue.Request
	Decided   []*daoyue.Request
	Meeting   *meetingView
	CanAccept bool
	CanPay    bool
	CanChange bool
	Payments  []*daoyue.Payment
	Reported  *daoyue.Payment // the transfer the client reported, to check
	CanRefund bool
	// ECPayRefund is the ECPay card payment a refund can go back through.
	ECPayRefund    *daoyue.Payment
	PaymentMethods []string
	Pick           *reschedulePick
	// Invoice is the booking's e-invoice (nil when the studio issues none).
	Invoice *daoyue.Invoice
}

// reschedulePick is the admin's reschedule picker: a date and its free times.
type reschedulePick struct {
	Date  string
	Times []calTime
	Error string
}

func (s *Server) bookingDetailPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderBookingDetail(w, r, http.StatusOK, nil)
}

func (s *Server) renderBookingDetail(w http.ResponseWriter, r *http.Request, status int, actionErr error) error {
	v, err := s.adminView(w, r, "bookings", "page.booking.title")
	if err != nil {
		return err
	}
	noStore(w)
	slug, id := v.Admin.Workspace.Slug, r.PathValue("id")
	d, err := s.App.Booking(r.Context(), slug, id)
	if err != nil {
		return err
	}
	now := s.App.Now()
	b := d.Booking
	dp := &bookingDetailPage{D: d, Base: v.Base() + "/bookings/" + url.PathEscape(b.ID), PaymentMethods: app.PaymentMethods}
	dp.Open = d.OpenRequest()
	for _, rq := range d.Requests {
		if rq.Status != daoyue.RequestOpen {
			dp.Decided = append(dp.Decided, rq)
		}
	}
	dp.CanAccept = b.CanAccept()
	dp.CanPay = b.PaymentOwed()
	dp.Payments = d.Payments
	for _, p := range dp.Payments {
		if p.State == daoyue.PaymentReported && b.PaymentStatus == daoyue.PaymentReportedByClient {
			dp.Reported = p
		}
	}
	dp.CanRefund = b.RefundOwed > 0 || b.PaymentStatus == daoyue.PaymentPaid && b.Refunded < b.Price.Amount
	if dp.CanRefund && s.App.ECPay != nil {
		dp.ECPayRefund = app.ECPayRefundable(dp.Payments)
	}
	dp.CanChange = b.CanChange(now)
	dp.Invoice = d.Invoice
	dp.Meeting = meetingViewOf(v, d, dp.Base)
	if actionErr != nil {
		_ = r.ParseForm()
		for _, k := range []string{"reason", "message", "method", "note", "date", "amount"} {
			v.Form.Set(k, r.PostFormValue(k))
		}
		s.applyError(r, v, actionErr)
		v.SwitchURL = dp.Base
	}
	if dp.CanChange {
		loc := d.Workspace.Location()
		date := r.URL.Query().Get("date")
		if actionErr != nil {
			date = r.PostFormValue("date")
		}
		if !daoyue.ValidDate(date) {
			date = b.Start.In(loc).Format(time.DateOnly)
			if today := now.In(loc).Format(time.DateOnly); date < today {
				date = today
			}
		}
		pick := &reschedulePick{Date: date}
		slots, err := s.App.RescheduleSlots(r.Context(), slug, b.ID, date, date)
		if err != nil {
			return err
		}
		for _, sl := range slots {
			pick.Times = append(pick.Times, calTime{Start: sl.Start, Value: sl.Start.In(loc).Format(time.RFC3339), Clock: sl.Start.In(loc).Format("15:04")})
		}
		dp.Pick = pick
	}
	v.Data = dp
	s.render(w, r, status, "booking", v)
	return nil
}

// Actor names who did something.
func (v *view) Actor(a daoyue.Actor) string {
	switch a.Kind {
	case daoyue.ActorClient:
		return v.Tf("label.actor.client", "name", a.Label)
	case daoyue.ActorSystem:
		return v.T("label.actor.system")
	}
	return a.Label
}

// booking actions posted from the detail page.
type bookingAct int

const (
	actAccept bookingAct = iota
	actDecline
	actCancel
	actPayment
	actReschedule
	actApprove
	actReject
	actMeetingRetry
	actTransferConfirm
	actTransferReject
	actRefund
	actRefundWaive
	actRefundECPay
	actInvoiceRetry
)

var actFlash = map[bookingAct]string{
	actAccept:          "flash.accepted",
	actDecline:         "flash.declined",
	actCancel:          "flash.cancelled",
	actPayment:         "flash.payment_recorded",
	actReschedule:      "flash.rescheduled",
	actApprove:         "flash.request_approved",
	actReject:          "flash.request_rejected",
	actMeetingRetry:    "flash.meeting_retry",
	actTransferConfirm: "flash.transfer_confirmed",
	actTransferReject:  "flash.transfer_rejected",
	actRefund:          "flash.refund_recorded",
	actRefundWaive:     "flash.refund_waived",
	actRefundECPay:     "flash.ecpay_refunded",
	actInvoiceRetry:    "flash.invoice_retried",
}

func (s *Server) bookingAction(act bookingAct) pageHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		v, err := s.adminView(w, r, "bookings", "page.booking.title")
		if err != nil {
			return err
		}
		_ = r.ParseForm()
		ctx := r.Context()
		slug, id := v.Admin.Workspace.Slug, r.PathValue("id")
		f := r.PostForm
		switch act {
		case actAccept:
			_, err = s.App.Accept(ctx, slug, id)
		case actDecline:
			_, err = s.App.Decline(ctx, slug, id, f.Get("reason"))
		case actCancel:
			_, err = s.App.Cancel(ctx, slug, id, f.Get("reason"))
		case actPayment:
			_, err = s.App.RecordPayment(ctx, slug, id, f.Get("method"), f.Get("note"))
		case actReschedule:
			start, _ := time.Parse(time.RFC3339, f.Get("start"))
			_, err = s.App.Reschedule(ctx, slug, id, start)
		case actApprove:
			_, err = s.App.ApproveRequest(ctx, slug, id, r.PathValue("rid"))
		case actReject:
			_, err = s.App.RejectRequest(ctx, slug, id, r.PathValue("rid"), f.Get("message"))
		case actMeetingRetry:
			_, err = s.App.RetryMeeting(ctx, slug, id)
		case actTransferConfirm:
			_, err = s.App.ConfirmTransfer(ctx, slug, id)
		case actTransferReject:
			_, err = s.App.RejectTransfer(ctx, slug, id)
		case actRefund:
			var amount int64
			if amount, err = parseAmount(f.Get("amount")); err == nil {
				_, err = s.App.RecordRefund(ctx, slug, id, amount)
			}
		case actRefundWaive:
			_, err = s.App.WaiveRefund(ctx, slug, id)
		case actRefundECPay:
			var amount int64
			if amount, err = parseAmount(f.Get("amount")); err == nil {
				_, err = s.App.RefundECPay(ctx, slug, id, amount)
			}
		case actInvoiceRetry:
			var choice *daoyue.InvoiceChoice
			if f.Get("invoice_type") == string(daoyue.InvoiceMember) {
				choice = &daoyue.InvoiceChoice{Kind: daoyue.InvoiceMember}
			}
			_, err = s.App.RetryInvoice(ctx, slug, id, choice)
		}
		if err != nil {
			switch daoyue.ErrorCode(err) {
			case daoyue.EINVALID, daoyue.ESLOT, daoyue.ETRANSITION, daoyue.ECONFLICT:
				status, _ := s.publicError(r, err)
				return s.renderBookingDetail(w, r, status, err)
			}
			return err
		}
		s.redirectFlash(w, r, v.Base()+"/bookings/"+url.PathEscape(id), actFlash[act])
		return nil
	}
}

// parseAmount reads a money amount typed by a member, in the currency's
// minor units like the service form's price (for TWD, dollars: "1,200").
func parseAmount(s string) (int64, error) {
	s = strings.NewReplacer(",", "", " ", "", "NT$", "", "$", "").Replace(strings.TrimSpace(s))
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		f := daoyue.FieldErrors{}
		f.Add("amount", "error.refund_amount")
		return 0, f.Err()
	}
	return n, nil
}
