package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/notify"
)

// bookingPage is the data of the public booking page /w/{slug}. It walks a
// client through service → practitioner and date → time → form with plain
// links and one form, so it works without JavaScript.
type bookingPage struct {
	Workspace     *daoyue.Workspace
	Services      []*daoyue.Service
	Service       *daoyue.Service        // chosen, or nil
	Practitioners []*daoyue.Practitioner // who deliver the chosen service
	Practitioner  *daoyue.Practitioner   // chosen, nil for any
	Chips         []chip                 // practitioner choice
	Calendar      *calendar              // when a service is chosen
	Start         *time.Time             // the chosen time: the form is shown
	StartValue    string                 //
	Retry         bool                   // the chosen time was taken: pick another in the form
	BackURL       string                 // back to the calendar
	ServicesURL   string                 // back to the services
	OnlyService   bool                   // one service only: no list to go back to
	Challenge     string                 // the form's proof-of-work challenge (app.ProofChallenge)
	Invoice       bool                   // the form asks for the client's e-invoice choice
	names         map[string]string      // practitioner names by id
	pracByID      map[string]*daoyue.Practitioner
}

type chip struct {
	Label    string
	URL      string
	Selected bool
}

// bookingQuery is the state of the booking page in its URL.
type bookingQuery struct {
	Service, Practitioner, Month, Date, Start string
}

func (q bookingQuery) url(slug string) string {
	v := url.Values{}
	set := func(k, x string) {
		if x != "" {
			v.Set(k, x)
		}
	}
	set("service", q.Service)
	set("practitioner", q.Practitioner)
	set("month", q.Month)
	set("date", q.Date)
	set("start", q.Start)
	u := "/w/" + url.PathEscape(slug)
	if enc := v.Encode(); enc != "" {
		u += "?" + enc
	}
	return u
}

func (s *Server) bookingPage(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	q := r.URL.Query()
	bq := bookingQuery{Service: q.Get("service"), Practitioner: q.Get("practitioner"), Month: q.Get("month"), Date: q.Get("date"), Start: q.Get("start")}
	v := s.newView(w, r, "", nil)
	bp, err := s.buildBookingPage(r, v, slug, bq)
	if err != nil {
		return err
	}
	v.Data = bp
	s.render(w, r, http.StatusOK, "book", v)
	return nil
}

// buildBookingPage loads what the booking page shows for the state bq.
func (s *Server) buildBookingPage(r *http.Request, v *view, slug string, bq bookingQuery) (*bookingPage, error) {
	ctx := r.Context()
	pp, err := s.App.PublicWorkspace(ctx, slug)
	if err != nil {
		return nil, err
	}
	ws := pp.Workspace
	v.inZone(ws)
	v.Public = ws
	v.Title = ws.Name
	v.BodyClass = "public"
	bp := &bookingPage{Workspace: ws, Services: pp.Services, names: map[string]string{}, pracByID: pp.Practitioners,
		ServicesURL: bookingQuery{}.url(slug), Challenge: s.App.ProofChallenge(slug)}
	for id, p := range pp.Practitioners {
		bp.names[id] = p.Name
	}
	// One service: nothing to choose, straight to its times.
	bp.OnlyService = len(pp.Services) == 1
	if bq.Service == "" && bp.OnlyService {
		bq.Service = pp.Services[0].ID
	}
	if bq.Service == "" {
		return bp, nil
	}
	for _, svc := range pp.Services {
		if svc.ID == bq.Service {
			bp.Service = svc
		}
	}
	if bp.Service == nil {
		return nil, daoyue.Errorf(daoyue.ENOTFOUND, "error.service_not_found")
	}
	for _, id := range bp.Service.PractitionerIDs {
		if p, ok := pp.Practitioners[id]; ok {
			bp.Practitioners = append(bp.Practitioners, p)
		}
	}
	if bq.Practitioner != "" {
		bp.Practitioner = pp.Practitioners[bq.Practitioner]
		if bp.Practitioner == nil || !bp.Service.Delivers(bq.Practitioner) {
			return nil, daoyue.Errorf(daoyue.ENOTFOUND, "error.practitioner_not_found")
		}
	}
	v.Title = bp.Service.Name + " · " + ws.Name
	if bp.Service.Payment == daoyue.PaymentBefore {
		if bp.Invoice, err = s.App.IssuesInvoices(ctx, slug); err != nil {
			return nil, err
		}
	}
	loc := ws.Location()
	now := s.App.Now()

	// The chosen time fixes the date and month.
	if bq.Start != "" {
		if t, err := time.Parse(time.RFC3339, bq.Start); err == nil {
			bq.Date = t.In(loc).Format(time.DateOnly)
			bp.Start = &t
			bp.StartValue = t.In(loc).Format(time.RFC3339)
		}
	}
	if bq.Date != "" && !daoyue.ValidDate(bq.Date) {
		bq.Date = ""
	}
	if bq.Date != "" {
		bq.Month = bq.Date[:7]
	}
	y, m, _ := now.In(loc).Date()
	thisMonth := time.Date(y, m, 1, 0, 0, 0, 0, loc)
	month, ok := parseMonth(bq.Month, loc)
	if !ok || month.Before(thisMonth) {
		month = thisMonth
	}
	if last := now.In(loc).AddDate(0, 0, bp.Service.HorizonDays); month.After(last) {
		month = time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, loc)
	}
	slots, err := s.monthSlots(r, slug, bp.Service.ID, bq.Practitioner, month, now)
	if err != nil {
		return nil, err
	}
	// Late in a month with nothing left: show the next one.
	if len(slots) == 0 && bq.Month == "" {
		next := month.AddDate(0, 1, 0)
		if !next.After(now.In(loc).AddDate(0, 0, bp.Service.HorizonDays)) {
			if more, err := s.monthSlots(r, slug, bp.Service.ID, bq.Practitioner, next, now); err == nil && len(more) > 0 {
				month, slots = next, more
			}
		}
	}
	if bq.Date == "" {
		bq.Date = firstFreeDate(slots, loc)
	}
	base := bookingQuery{Service: bq.Service, Practitioner: bq.Practitioner}
	dayURL := func(mo, date string) string {
		b := base
		b.Month, b.Date = mo, date
		return b.url(slug)
	}
	timeURL := func(sl daoyue.Slot) string {
		b := base
		b.Start = sl.Start.In(loc).Format(time.RFC3339)
		return b.url(slug)
	}
	// A tapped day or month keeps the place: the day's times, or the
	// calendar, not the top of the page.
	placeURL := func(mo, date string) string {
		if date != "" {
			return dayURL(mo, date) + "#times"
		}
		return dayURL(mo, date) + "#calendar"
	}
	bp.Calendar = buildCalendar(v, month, now, bp.Service.HorizonDays, slots, bq.Date, placeURL, timeURL)
	bp.BackURL = dayURL(month.Format("2006-01"), bq.Date)
	anyone := base
	anyone.Practitioner = ""
	bp.Chips = append(bp.Chips, chip{Label: v.T("label.any_practitioner"), URL: anyone.url(slug), Selected: bq.Practitioner == ""})
	for _, p := range bp.Practitioners {
		c := base
		c.Practitioner = p.ID
		bp.Chips = append(bp.Chips, chip{Label: p.Name, URL: c.url(slug), Selected: bq.Practitioner == p.ID})
	}
	// A chosen time that is no longer free goes back to the day's times.
	if bp.Start != nil {
		free := false
		for _, t := range bp.Calendar.Times {
			free = free || t.Start.Equal(*bp.Start)
		}
		if !free {
			v.Error = v.T("error.slot_unavailable")
			if !bp.Start.After(now) {
				// An old link: the time has passed, nobody took it.
				v.Error = v.T("error.slot_past")
			}
			bp.Start, bp.StartValue = nil, ""
		}
	}
	return bp, nil
}

// monthSlots asks for the free slots of a month (from today on).
func (s *Server) monthSlots(r *http.Request, slug, serviceID, practitionerID string, month, now time.Time) ([]daoyue.Slot, error) {
	from, to, ok := monthRange(month, now)
	if !ok {
		return nil, nil
	}
	res, err := s.App.Slots(r.Context(), slug, app.SlotsInput{ServiceID: serviceID, PractitionerID: practitionerID, From: from, To: to})
	if err != nil {
		return nil, err
	}
	return res.Slots, nil
}

// Step numbers the steps shown: a page of one service has no service step,
// so its steps start at 1.
func (bp *bookingPage) Step(n int) int {
	if bp.OnlyService {
		return n - 1
	}
	return n
}

// ShownPractitioner is who the details step names: the chosen
// practitioner, or the only one who delivers the service; nil means any.
func (bp *bookingPage) ShownPractitioner() *daoyue.Practitioner {
	if bp.Practitioner != nil {
		return bp.Practitioner
	}
	if len(bp.Practitioners) == 1 {
		return bp.Practitioners[0]
	}
	return nil
}

// PractitionerName is a practitioner's public name.
func (bp *bookingPage) PractitionerName(id string) string { return bp.names[id] }

// clientFieldOf maps the app's dotted input paths to the form's names.
// invoiceFields are the booking form's e-invoice inputs, kept on errors.
var invoiceFields = []string{"invoice_type", "invoice_carrier", "invoice_love_code", "invoice_business_id", "invoice_company_name", "invoice_company_addr"}

var clientFieldOf = map[string]string{"client.name": "name", "client.email": "email", "client.phone": "phone", "note": "note", "start": "start"}

func (s *Server) bookSubmit(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	_ = r.ParseForm()
	f := r.PostForm
	bq := bookingQuery{Service: f.Get("service"), Practitioner: f.Get("practitioner"), Start: f.Get("start")}
	start, _ := time.Parse(time.RFC3339, bq.Start)
	if start.IsZero() && daoyue.ValidDate(f.Get("date")) {
		// The form offered the times of one day (after "just taken") and
		// none was picked: stay on that day.
		bq.Date = f.Get("date")
	}
	in := app.BookInput{
		ServiceID:      bq.Service,
		PractitionerID: bq.Practitioner,
		Start:          start,
		Client:         daoyue.Client{Name: f.Get("name"), Email: f.Get("email"), Phone: f.Get("phone")},
		Note:           f.Get("note"),
		Language:       langOf(r),
		ClientAddr:     s.clientIP(r),
		Proof:          app.Proof{Challenge: f.Get("proof_challenge"), Solution: f.Get("proof_solution")},
	}
	if k := f.Get("invoice_type"); k != "" {
		in.Invoice = &daoyue.InvoiceChoice{Kind: daoyue.InvoiceKind(k), Carrier: f.Get("invoice_carrier"), LoveCode: f.Get("invoice_love_code"),
			BusinessID: f.Get("invoice_business_id"), CompanyName: f.Get("invoice_company_name"), CompanyAddr: f.Get("invoice_company_addr")}
	}
	booked, err := s.App.Book(r.Context(), slug, in)
	if err == nil {
		s.redirectFlash(w, r, "/b/"+booked.ManageToken, "flash.booked")
		return nil
	}
	code := daoyue.ErrorCode(err)
	if code != daoyue.EINVALID && code != daoyue.ESLOT {
		return err
	}
	// Re-render the form with the input kept and each message by its field.
	v := s.newView(w, r, "", nil)
	if code == daoyue.ESLOT {
		// Back to the day's times: the form offers the ones still free.
		if !start.IsZero() {
			bq.Start = ""
			if ws, err := s.App.PublicWorkspace(r.Context(), slug); err == nil {
				bq.Date = start.In(ws.Workspace.Location()).Format(time.DateOnly)
			}
		}
	}
	bp, berr := s.buildBookingPage(r, v, slug, bq)
	if berr != nil {
		return berr
	}
	for _, k := range []string{"name", "email", "phone", "note"} {
		v.Form.Set(k, f.Get(k))
	}
	for _, k := range invoiceFields {
		v.Form.Set(k, f.Get(k))
	}
	status, _ := s.applyError(r, v, err)
	fields := map[string]string{}
	for k, msg := range v.Fields {
		if name, ok := clientFieldOf[k]; ok {
			fields[name] = msg
		} else if strings.HasPrefix(k, "invoice_") {
			fields[k] = msg
		}
	}
	v.Fields = fields
	if code == daoyue.ESLOT || start.IsZero() {
		// Pick (again) among the day's free times, in the form that keeps
		// what was typed; the time choice is the field marked.
		bp.Start, bp.StartValue, bp.Retry = nil, "", true
		if code == daoyue.EINVALID && f.Get("start") == "" {
			fields["start"] = v.T("error.pick_time")
		}
	}
	v.SwitchURL = bq.url(slug)
	v.Data = bp
	s.render(w, r, status, "book", v)
	return nil
}

// managePage is the data of the client's page of one booking, /b/{token}.
type managePage struct {
	Token      string
	View       *app.ClientView
	NextStep   string
	CanChange  bool
	Open       *daoyue.Request
	Decided    []*daoyue.Request
	Reschedule *calendar // the picker, when asked for
	PickURL    string
	// CanReport: the studio takes bank transfers and the booking awaits
	// payment, so the client may report theirs.
	CanReport bool
	// GoogleURL adds a confirmed booking to Google Calendar; ICSURL
	// downloads it as an .ics file ("" when not confirmed).
	GoogleURL, ICSURL string
	refused           string // the form whose submission was refused: "reschedule" or "cancel"
	// Invoice is the booking's e-invoice (nil when the studio issues none).
	Invoice *daoyue.Invoice
	// Line: whether the studio has LINE and this client linked it.
	Line *app.LineState
}

// OfferReschedule and OfferCancel: a request waiting for the studio is
// shown, not offered again; the other kind stays offered (a new request
// replaces the open one, which the page says).
// A form whose submission was just refused stays, with its messages.
func (mp *managePage) OfferReschedule() bool {
	return mp.Open == nil || mp.Open.Kind != daoyue.RequestReschedule || mp.refused == "reschedule"
}

func (mp *managePage) OfferCancel() bool {
	return mp.Open == nil || mp.Open.Kind != daoyue.RequestCancel || mp.refused == "cancel"
}

func (s *Server) managePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderManage(w, r, http.StatusOK, nil)
}

// renderManage shows the manage page, with err's messages when an action failed.
func (s *Server) renderManage(w http.ResponseWriter, r *http.Request, status int, actionErr error) error {
	token := r.PathValue("token")
	cv, err := s.App.ClientBooking(r.Context(), token)
	if err != nil {
		return err
	}
	noStore(w)
	v := s.newView(w, r, "page.manage.title", nil)
	ws, b := cv.Workspace, cv.Booking
	v.inZone(ws)
	v.Public = ws
	v.BodyClass = "public"
	v.NoIndex = true
	now := s.App.Now()
	mp := &managePage{Token: token, View: cv, CanChange: b.CanChange(now),
		CanReport: b.Status == daoyue.StatusAwaitingPayment && b.PaymentStatus == daoyue.PaymentUnpaid && strings.TrimSpace(ws.PaymentInstructions) != ""}
	base := "/b/" + url.PathEscape(token)
	mp.PickURL = base + "?reschedule=1#reschedule"
	mp.NextStep = nextStep(v, cv, now)
	if mp.Line, err = s.App.LineStateOfBooking(r.Context(), token); err != nil {
		return err
	}
	if b.Status == daoyue.StatusConfirmed && now.Before(b.End) {
		mp.ICSURL = base + "/calendar.ics"
		mp.GoogleURL = googleCalendarURL(cv, s.BaseURL+"/w/"+ws.Slug)
	}
	mp.Invoice = cv.Invoice
	for _, rq := range cv.Requests {
		if rq.Status == daoyue.RequestOpen {
			mp.Open = rq
		} else {
			mp.Decided = append(mp.Decided, rq)
		}
	}
	if mp.CanReport {
		v.Form.Set("amount", strconv.FormatInt(b.Price.Amount, 10))
		v.Form.Set("sent_at", now.In(ws.Location()).Format("2006-01-02T15:04"))
	}
	q := r.URL.Query()
	if actionErr != nil {
		_ = r.ParseForm()
		q = url.Values{"reschedule": {r.PostFormValue("reschedule")}, "date": {r.PostFormValue("date")}}
		for _, k := range []string{"reason", "last5", "amount", "sent_at"} {
			v.Form.Set(k, r.PostFormValue(k))
		}
		s.applyError(r, v, actionErr)
		switch {
		case strings.HasSuffix(r.URL.Path, "/reschedule"):
			mp.refused = "reschedule"
		case strings.HasSuffix(r.URL.Path, "/cancel"):
			mp.refused = "cancel"
		}
		if r.PostFormValue("reschedule") != "" {
			v.SwitchURL = base + "?reschedule=1&date=" + url.QueryEscape(r.PostFormValue("date"))
		} else {
			v.SwitchURL = base
		}
	}
	if mp.CanChange && q.Get("reschedule") != "" {
		loc := ws.Location()
		y, m, _ := now.In(loc).Date()
		thisMonth := time.Date(y, m, 1, 0, 0, 0, 0, loc)
		date := q.Get("date")
		if !daoyue.ValidDate(date) {
			date = ""
		}
		monthStr := q.Get("month")
		if date != "" {
			monthStr = date[:7]
		}
		month, ok := parseMonth(monthStr, loc)
		if !ok || month.Before(thisMonth) {
			month = thisMonth
		}
		var slots []daoyue.Slot
		if from, to, ok := monthRange(month, now); ok {
			if slots, err = s.App.ClientRescheduleSlots(r.Context(), token, from, to); err != nil {
				return err
			}
		}
		if date == "" {
			date = firstFreeDate(slots, loc)
		}
		dayURL := func(mo, d string) string {
			u := base + "?reschedule=1&month=" + url.QueryEscape(mo)
			if d != "" {
				u += "&date=" + url.QueryEscape(d)
			}
			return u + "#reschedule"
		}
		mp.Reschedule = buildCalendar(v, month, now, cv.Service.HorizonDays, slots, date, dayURL, nil)
	}
	v.Data = mp
	s.render(w, r, status, "manage", v)
	return nil
}

// nextStep says plainly what happens next with the booking.
func nextStep(v *view, cv *app.ClientView, now time.Time) string {
	b := cv.Booking
	if b.RefundOwed > 0 && b.Status == daoyue.StatusExpired && b.PaymentStatus == daoyue.PaymentPaid {
		return v.Tf("msg.next.slot_lost", "amount", v.Money(daoyue.Money{Amount: b.RefundOwed, Currency: b.Price.Currency}))
	}
	if b.RefundOwed > 0 {
		return v.Tf("msg.next.refund_owed", "amount", v.Money(daoyue.Money{Amount: b.RefundOwed, Currency: b.Price.Currency}))
	}
	switch b.Status {
	case daoyue.StatusPending:
		return v.T("msg.next.pending")
	case daoyue.StatusAwaitingPayment:
		if b.PaymentStatus == daoyue.PaymentReportedByClient {
			return v.T("msg.next.transfer_reported")
		}
		return v.Tf("msg.next.awaiting_payment", "time", v.WhenP(b.PaymentDueAt))
	case daoyue.StatusConfirmed:
		if !now.Before(b.End) {
			return v.T("msg.next.past")
		}
		if b.Online && cv.LinkComing {
			return v.T("msg.next.confirmed_online")
		}
		if b.Online {
			return v.T("msg.next.confirmed_online_studio_link")
		}
		if cv.Service.Location != "" {
			return v.Tf("msg.next.confirmed_in_person", "address", cv.Service.Location)
		}
		return v.T("msg.next.confirmed")
	case daoyue.StatusDeclined:
		return v.T("msg.next.declined")
	case daoyue.StatusCancelled:
		return v.T("msg.next.cancelled")
	case daoyue.StatusExpired:
		return v.T("msg.next.expired")
	}
	return ""
}

func (s *Server) manageReschedule(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm()
	start, _ := time.Parse(time.RFC3339, r.PostFormValue("start"))
	if _, err := s.App.RequestReschedule(r.Context(), r.PathValue("token"), start); err != nil {
		return s.manageFailed(w, r, err)
	}
	s.redirectFlash(w, r, "/b/"+url.PathEscape(r.PathValue("token")), "flash.reschedule_requested")
	return nil
}

func (s *Server) manageCancel(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm()
	if _, err := s.App.RequestCancel(r.Context(), r.PathValue("token"), r.PostFormValue("reason")); err != nil {
		return s.manageFailed(w, r, err)
	}
	s.redirectFlash(w, r, "/b/"+url.PathEscape(r.PathValue("token")), "flash.cancel_requested")
	return nil
}

// manageTransfer takes the client's report of a bank transfer; the time
// is typed in the studio's zone, like every time on the page.
func (s *Server) manageTransfer(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm()
	token := r.PathValue("token")
	cv, err := s.App.ClientBooking(r.Context(), token)
	if err != nil {
		return err
	}
	in := app.TransferReport{Last5: r.PostFormValue("last5")}
	in.Amount, _ = strconv.ParseInt(strings.NewReplacer(",", "", " ", "").Replace(r.PostFormValue("amount")), 10, 64)
	in.SentAt, _ = time.ParseInLocation("2006-01-02T15:04", r.PostFormValue("sent_at"), cv.Workspace.Location())
	if _, err := s.App.ReportTransfer(r.Context(), token, in); err != nil {
		return s.manageFailed(w, r, err)
	}
	s.redirectFlash(w, r, "/b/"+url.PathEscape(token), "flash.transfer_reported")
	return nil
}

func (s *Server) manageFailed(w http.ResponseWriter, r *http.Request, err error) error {
	switch daoyue.ErrorCode(err) {
	case daoyue.EINVALID, daoyue.ESLOT, daoyue.ETRANSITION:
		status, _ := s.publicError(r, err)
		return s.renderManage(w, r, status, err)
	}
	return err
}

// RequestText describes a request in words.
func (v *view) RequestText(rq *daoyue.Request) string {
	if rq.Kind == daoyue.RequestReschedule && rq.NewStart != nil {
		return v.Tf("msg.request.reschedule", "time", v.When(*rq.NewStart))
	}
	return v.T("msg.request.cancel")
}

// googleCalendarURL is the link that adds the booking to Google Calendar:
// the service, the studio, the time, where it takes place (or "online"
// and the public instructions), and the studio's booking page; never the
// manage link (Google would hold its secret) nor private meeting details.
func googleCalendarURL(cv *app.ClientView, pageURL string) string {
	b := cv.Booking
	const f = "20060102T150405Z"
	details := pageURL
	where := cv.Service.Location
	if b.Online {
		where = "Online"
		if in := strings.TrimSpace(cv.Service.OnlineInstructions); in != "" {
			details = in + "\n\n" + pageURL
		}
	}
	q := url.Values{"action": {"TEMPLATE"}, "text": {cv.Service.Name + " · " + cv.Workspace.Name},
		"dates": {b.Start.UTC().Format(f) + "/" + b.End.UTC().Format(f)}, "details": {details}, "location": {where}}
	return "https://calendar.google.com/calendar/render?" + q.Encode()
}

// manageCalendar downloads the booking as an .ics file (confirmed
// bookings only), without private meeting details.
func (s *Server) manageCalendar(w http.ResponseWriter, r *http.Request) error {
	cv, err := s.App.ClientBooking(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	if cv.Booking.Status != daoyue.StatusConfirmed {
		return daoyue.ErrNotFound
	}
	noStore(w)
	ics := notify.ClientCalendar(cv.Workspace, cv.Service, cv.Booking, s.App.Now())
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="booking.ics"`)
	_, err = w.Write([]byte(ics))
	return err
}
