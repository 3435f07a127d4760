package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
)

// The admin bookings of API v1: list, detail and the lifecycle's actions.
// Every action answers 200 with the updated booking.

type bookingListJSON struct {
	Bookings   []bookingJSON  `json:"bookings"`
	NextCursor string         `json:"next_cursor"`
	Counts     map[string]int `json:"counts"`
}

func (s *Server) apiBookings(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := daoyue.FieldErrors{}
	limit := apiQueryInt(f, r, "limit")
	if err := f.Err(); err != nil {
		return err
	}
	list, err := s.App.ListBookings(r.Context(), r.PathValue("slug"), daoyue.BookingFilter{
		Tab: daoyue.Tab(q.Get("tab")), PractitionerID: q.Get("practitioner_id"), Cursor: q.Get("cursor"), Limit: limit,
	})
	if err != nil {
		return err
	}
	loc := list.Workspace.Location()
	lang := langOf(r)
	out := bookingListJSON{Bookings: make([]bookingJSON, 0, len(list.Bookings)), NextCursor: list.NextCursor, Counts: map[string]int{}}
	for _, t := range daoyue.Tabs {
		out.Counts[string(t)] = list.Counts[t]
	}
	for _, b := range list.Bookings {
		out.Bookings = append(out.Bookings, bookingOf(lang, b, loc, list.Services[b.ServiceID], list.Practitioners[b.PractitionerID], list.Practitioners[b.HostID]))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func apiDetailOf(lang string, d *app.BookingDetail) bookingDetailJSON {
	loc := d.Workspace.Location()
	return bookingDetailJSON{
		bookingJSON: bookingOf(lang, d.Booking, loc, d.Service, d.Practitioner, d.Host),
		Requests:    requestsJSON(d.Requests, loc),
		History:     auditOf(d.History, loc),
	}
}

// answerBooking writes the booking detail an app call returned, or its error.
func (s *Server) answerBooking(w http.ResponseWriter, r *http.Request, d *app.BookingDetail, err error) error {
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, apiDetailOf(langOf(r), d))
	return nil
}

func (s *Server) apiBooking(w http.ResponseWriter, r *http.Request) error {
	d, err := s.App.Booking(r.Context(), r.PathValue("slug"), r.PathValue("id"))
	return s.answerBooking(w, r, d, err)
}

// apiEmptyBody reads an action's optional body: nothing, or a JSON object with
// no fields.
func apiEmptyBody(w http.ResponseWriter, r *http.Request) error {
	var in struct{}
	return apiDecodeOptional(w, r, &in)
}

func (s *Server) apiAccept(w http.ResponseWriter, r *http.Request) error {
	if err := apiEmptyBody(w, r); err != nil {
		return err
	}
	d, err := s.App.Accept(r.Context(), r.PathValue("slug"), r.PathValue("id"))
	return s.answerBooking(w, r, d, err)
}

// apiReasonBody reads an optional {"reason"} body.
func apiReasonBody(w http.ResponseWriter, r *http.Request) (string, error) {
	var in reasonInput
	err := apiDecodeOptional(w, r, &in)
	return in.Reason, err
}

func (s *Server) apiDecline(w http.ResponseWriter, r *http.Request) error {
	reason, err := apiReasonBody(w, r)
	if err != nil {
		return err
	}
	d, err := s.App.Decline(r.Context(), r.PathValue("slug"), r.PathValue("id"), reason)
	return s.answerBooking(w, r, d, err)
}

func (s *Server) apiCancel(w http.ResponseWriter, r *http.Request) error {
	reason, err := apiReasonBody(w, r)
	if err != nil {
		return err
	}
	d, err := s.App.Cancel(r.Context(), r.PathValue("slug"), r.PathValue("id"), reason)
	return s.answerBooking(w, r, d, err)
}

func (s *Server) apiReschedule(w http.ResponseWriter, r *http.Request) error {
	var in startInput
	if err := apiDecodeJSON(w, r, &in); err != nil {
		return err
	}
	f := daoyue.FieldErrors{}
	start := apiParseTime(f, "start", in.Start)
	if err := f.Err(); err != nil {
		return err
	}
	d, err := s.App.Reschedule(r.Context(), r.PathValue("slug"), r.PathValue("id"), start)
	return s.answerBooking(w, r, d, err)
}

type paymentInput struct {
	Method string `json:"method"`
	Note   string `json:"note"`
}

func (s *Server) apiPayment(w http.ResponseWriter, r *http.Request) error {
	var in paymentInput
	if err := apiDecodeJSON(w, r, &in); err != nil {
		return err
	}
	d, err := s.App.RecordPayment(r.Context(), r.PathValue("slug"), r.PathValue("id"), in.Method, in.Note)
	return s.answerBooking(w, r, d, err)
}

func (s *Server) apiApproveRequest(w http.ResponseWriter, r *http.Request) error {
	if err := apiEmptyBody(w, r); err != nil {
		return err
	}
	d, err := s.App.ApproveRequest(r.Context(), r.PathValue("slug"), r.PathValue("id"), r.PathValue("request_id"))
	return s.answerBooking(w, r, d, err)
}

type messageInput struct {
	Message string `json:"message"`
}

func (s *Server) apiRejectRequest(w http.ResponseWriter, r *http.Request) error {
	var in messageInput
	if err := apiDecodeOptional(w, r, &in); err != nil {
		return err
	}
	d, err := s.App.RejectRequest(r.Context(), r.PathValue("slug"), r.PathValue("id"), r.PathValue("request_id"), in.Message)
	return s.answerBooking(w, r, d, apiRenameFields(err, map[string]string{"reason": "message"}))
}

type clientJSON struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

type requestJSON struct {
	ID        string  `json:"id"`
	Kind      string  `json:"kind"`
	Status    string  `json:"status"`
	NewStart  *string `json:"new_start,omitempty"`
	NewEnd    *string `json:"new_end,omitempty"`
	Reason    string  `json:"reason"`
	Message   string  `json:"message"`
	CreatedAt string  `json:"created_at"`
	DecidedAt *string `json:"decided_at,omitempty"`
}

func requestsJSON(rs []*daoyue.Request, loc *time.Location) []requestJSON {
	out := make([]requestJSON, 0, len(rs))
	for _, r := range rs {
		out = append(out, requestJSON{
			ID: r.ID, Kind: string(r.Kind), Status: string(r.Status),
			NewStart: apiTimePtr(r.NewStart, loc), NewEnd: apiTimePtr(r.NewEnd, loc),
			Reason: r.Reason, Message: r.Message,
			CreatedAt: apiTime(r.CreatedAt, loc), DecidedAt: apiTimePtr(r.DecidedAt, loc),
		})
	}
	return out
}

// paymentJSON is what is known about a booking's payment. Method and note
// are the studio's: only the admin view carries them.
type paymentJSON struct {
	Status string    `json:"status"`
	Price  moneyJSON `json:"price"`
	DueAt  *string   `json:"due_at,omitempty"`
	PaidAt *string   `json:"paid_at,omitempty"`
	Method string    `json:"method,omitempty"`
	Note   string    `json:"note,omitempty"`
	// RefundOwed and Refunded are in minor units of price's currency.
	RefundOwed int64 `json:"refund_owed"`
	Refunded   int64 `json:"refunded"`
}

// paymentOf is the payment as the client may see it; members' answers add
// the method and note (bookingOf).
func paymentOf(b daoyue.ClientBooking, loc *time.Location) paymentJSON {
	p := paymentJSON{Status: string(b.PaymentStatus), Price: moneyJSON{b.Price.Amount, b.Price.Currency},
		PaidAt: apiTimePtr(b.PaidAt, loc), RefundOwed: b.RefundOwed, Refunded: b.Refunded}
	if b.Status == daoyue.StatusAwaitingPayment {
		p.DueAt = apiTimePtr(b.PaymentDueAt, loc)
	}
	return p
}

// meetingJSON is the meeting of a booking as the admin API shows it.
// JoinURL, MeetingID and Passcode are private meeting details: only for
// members, and only while a meeting exists. The host's start URL is never
// stored, so never shown.
type meetingJSON struct {
	Provider      string `json:"provider"`
	Status        string `json:"status"`
	StatusMessage string `json:"status_message"`
	JoinURL       string `json:"join_url,omitempty"`
	MeetingID     string `json:"meeting_id,omitempty"`
	Passcode      string `json:"passcode,omitempty"`
	Recreated     bool   `json:"recreated,omitempty"`
}

// apiMeetingOf is a booking's meeting: its sync status, the plain-words
// explanation in the request's language and, while the meeting exists in
// Zoom, its private details.
func apiMeetingOf(lang string, b *daoyue.Booking, host *daoyue.Practitioner) meetingJSON {
	m := meetingJSON{Provider: "zoom", Status: string(meetingStatus(b)), StatusMessage: meetingMessage(lang, b, host)}
	if b.Meeting.ShowDetails() {
		m.JoinURL, m.Passcode = b.Meeting.JoinURL, b.Meeting.Passcode
		m.MeetingID = strconv.FormatInt(b.Meeting.ZoomID, 10)
	}
	m.Recreated = b.Meeting.Recreated
	return m
}

// bookingJSON is a booking as members see it (list rows and detail).
type bookingJSON struct {
	ID           string      `json:"id"`
	Status       string      `json:"status"`
	Start        string      `json:"start"`
	End          string      `json:"end"`
	Service      refJSON     `json:"service"`
	Practitioner refJSON     `json:"practitioner"`
	Host         refJSON     `json:"host"`
	Online       bool        `json:"online"`
	Client       clientJSON  `json:"client"`
	Note         string      `json:"note"`
	Language     string      `json:"language"`
	Payment      paymentJSON `json:"payment"`
	CancelReason string      `json:"cancel_reason"`
	Meeting      meetingJSON `json:"meeting"`
	CreatedAt    string      `json:"created_at"`
	UpdatedAt    string      `json:"updated_at"`
}

// bookingDetailJSON is one booking with its requests and history.
type bookingDetailJSON struct {
	bookingJSON
	Requests []requestJSON `json:"requests"`
	History  []auditJSON   `json:"history"`
}

func bookingOf(lang string, b *daoyue.Booking, loc *time.Location, svc *daoyue.Service, prac, host *daoyue.Practitioner) bookingJSON {
	out := bookingJSON{
		ID: b.ID, Status: string(b.Status), Start: apiTime(b.Start, loc), End: apiTime(b.End, loc),
		Service: refJSON{ID: b.ServiceID}, Practitioner: refJSON{ID: b.PractitionerID}, Host: refJSON{ID: b.HostID},
		Online: b.Online, Client: clientJSON{b.Client.Name, b.Client.Email, b.Client.Phone},
		Note: b.Note, Language: b.Language, Payment: paymentOf(b.ForClient(), loc), CancelReason: b.CancelReason,
		Meeting:   apiMeetingOf(lang, b, host),
		CreatedAt: apiTime(b.CreatedAt, loc), UpdatedAt: apiTime(b.UpdatedAt, loc),
	}
	out.Payment.Method, out.Payment.Note = b.PaymentMethod, b.PaymentNote
	if svc != nil {
		out.Service.Name = svc.Name
	}
	if prac != nil {
		out.Practitioner.Name = prac.Name
	}
	if host != nil {
		out.Host.Name = host.Name
	}
	return out
}
