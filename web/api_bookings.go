package web

import (
	"net/http"

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
