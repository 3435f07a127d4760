package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
	"github.com/daoyue/daoyue/i18n"
)

// This file holds the JSON shapes of API v1 (API.md) and the helpers that
// read requests and write answers. Every time leaves in the workspace's
// zone; every id is one of the workspace's own.

// apiMaxBody bounds every JSON request body.
const apiMaxBody = 64 << 10

// errBodyTooLarge is answered with 413 and this code.
const apiCodeTooLarge = "payload_too_large"

// apiDecodeJSON reads the body into v: at most 64 KiB, one JSON value, no
// unknown fields. Problems come back as *daoyue.Error (EINVALID) with the
// offending field named where JSON says which.
func apiDecodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	return apiDecode(w, r, v, false)
}

// apiDecodeOptional is apiDecodeJSON for a body that may also be left out.
func apiDecodeOptional(w http.ResponseWriter, r *http.Request, v any) error {
	return apiDecode(w, r, v, true)
}

func apiDecode(w http.ResponseWriter, r *http.Request, v any, optional bool) error {
	r.Body = http.MaxBytesReader(w, r.Body, apiMaxBody)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == io.EOF && optional {
		return nil
	}
	if err == nil {
		// One value only: trailing garbage is as malformed as a broken value.
		if _, extra := dec.Token(); extra != io.EOF {
			err = errors.New("trailing data after the JSON value")
		}
	}
	if err == nil {
		return nil
	}
	var tooLarge *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooLarge):
		return &daoyue.Error{Code: apiCodeTooLarge, Key: "error.api_body_too_large", Err: err}
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return &daoyue.Error{Code: daoyue.EINVALID, Key: "error.json", Fields: map[string]string{typeErr.Field: "error.api_type"}, Err: err}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &daoyue.Error{Code: daoyue.EINVALID, Key: "error.api_unknown_field", Args: map[string]any{"field": name},
			Fields: map[string]string{name: "error.api_unknown_field_here"}, Err: err}
	default:
		return &daoyue.Error{Code: daoyue.EINVALID, Key: "error.json", Err: err}
	}
}

// failAPI writes err as the API's error body, with 413 for a body too large.
func (s *Server) failAPI(w http.ResponseWriter, r *http.Request, err error) {
	var e *daoyue.Error
	if errors.As(err, &e) && e.Code == apiCodeTooLarge {
		lang := langOf(r)
		writeJSON(w, http.StatusRequestEntityTooLarge, APIError{Error: APIErrorBody{Code: apiCodeTooLarge, Message: i18n.T(lang, e.Key, nil)}})
		return
	}
	s.apiError(w, r, err)
}

// apiRenameFields returns err with field paths of the app layer renamed to the
// API's (the domain says "weekly" where the API says "weekly_hours").
func apiRenameFields(err error, names map[string]string) error {
	var e *daoyue.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	c := *e
	c.Fields = map[string]string{}
	for f, k := range e.Fields {
		if n, ok := names[f]; ok {
			f = n
		}
		c.Fields[f] = k
	}
	return &c
}

// apiParseTime reads an RFC 3339 time with an offset; a problem is recorded
// under field.
func apiParseTime(f daoyue.FieldErrors, field, s string) time.Time {
	if s == "" {
		f.Add(field, "error.required")
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		f.Add(field, "error.time")
		return time.Time{}
	}
	return t
}

// apiQueryInt reads an optional integer query parameter.
func apiQueryInt(f daoyue.FieldErrors, r *http.Request, name string) int {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		f.Add(name, "error.number")
		return 0
	}
	return n
}

// apiTime formats an instant in the workspace's zone.
func apiTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(time.RFC3339)
}

func apiTimePtr(t *time.Time, loc *time.Location) *string {
	if t == nil {
		return nil
	}
	s := apiTime(*t, loc)
	return &s
}

// apiClock converts minutes after midnight to "HH:MM" (1440 is "24:00").
func apiClock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// apiParseClock reads "HH:MM" (00:00–24:00).
func apiParseClock(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, err1 := strconv.Atoi(s[:2])
	m, err2 := strconv.Atoi(s[3:])
	if err1 != nil || err2 != nil || h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, false
	}
	return h*60 + m, true
}

// ---- shapes ----

type moneyJSON struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

type refJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
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
}

func paymentOf(b *daoyue.Booking, loc *time.Location, private bool) paymentJSON {
	p := paymentJSON{Status: string(b.PaymentStatus), Price: moneyJSON{b.Price.Amount, b.Price.Currency},
		PaidAt: apiTimePtr(b.PaidAt, loc)}
	if b.Status == daoyue.StatusAwaitingPayment {
		p.DueAt = apiTimePtr(b.PaymentDueAt, loc)
	}
	if private {
		p.Method, p.Note = b.PaymentMethod, b.PaymentNote
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
		Note: b.Note, Language: b.Language, Payment: paymentOf(b, loc, true), CancelReason: b.CancelReason,
		Meeting:   apiMeetingOf(lang, b, host),
		CreatedAt: apiTime(b.CreatedAt, loc), UpdatedAt: apiTime(b.UpdatedAt, loc),
	}
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

type auditJSON struct {
	ID      string            `json:"id"`
	At      string            `json:"at"`
	Actor   actorJSON         `json:"actor"`
	Action  string            `json:"action"`
	Object  objectJSON        `json:"object"`
	Details map[string]string `json:"details"`
}

type actorJSON struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
}

type objectJSON struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

func auditOf(es []*daoyue.AuditEntry, loc *time.Location) []auditJSON {
	out := make([]auditJSON, 0, len(es))
	for _, e := range es {
		// Times in details (from, to, start) are written in UTC by the app
		// layer; like every time the API shows, they leave in the
		// workspace's zone.
		d := make(map[string]string, len(e.Details))
		for k, v := range e.Details {
			if t, err := time.Parse(time.RFC3339, v); err == nil {
				v = apiTime(t, loc)
			}
			d[k] = v
		}
		out = append(out, auditJSON{ID: e.ID, At: apiTime(e.At, loc), Actor: actorJSON{string(e.Actor.Kind), e.Actor.Label},
			Action: e.Action, Object: objectJSON{e.ObjectType, e.ObjectID}, Details: d})
	}
	return out
}

// ---- practitioners ----

type hoursJSON struct {
	Weekday int    `json:"weekday"`
	Start   string `json:"start"`
	End     string `json:"end"`
}

type rangeJSON struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

type zoomToolJSON struct {
	Status       string `json:"status"`
	AccountLabel string `json:"account_label"`
	IsDefault    bool   `json:"is_default"`
}

type meetingToolsJSON struct {
	Zoom zoomToolJSON `json:"zoom"`
}

type practitionerJSON struct {
	ID           string           `json:"id"`
	Name         string           `json:"name"`
	Email        string           `json:"email"`
	Bio          string           `json:"bio"`
	Active       bool             `json:"active"`
	WeeklyHours  []hoursJSON      `json:"weekly_hours"`
	MeetingTools meetingToolsJSON `json:"meeting_tools"`
	CreatedAt    string           `json:"created_at"`
}

func practitionerOf(p *daoyue.Practitioner, loc *time.Location, z app.ZoomStatus) practitionerJSON {
	hs := make([]hoursJSON, 0, len(p.Weekly))
	for _, w := range p.Weekly {
		hs = append(hs, hoursJSON{Weekday: int(w.Weekday), Start: apiClock(w.Start), End: apiClock(w.End)})
	}
	return practitionerJSON{ID: p.ID, Name: p.Name, Email: p.Email, Bio: p.Bio, Active: p.Active, WeeklyHours: hs,
		MeetingTools: meetingToolsJSON{Zoom: zoomToolJSON{Status: z.Status, AccountLabel: z.AccountLabel, IsDefault: z.IsDefault}},
		CreatedAt:    apiTime(p.CreatedAt, loc)}
}

// apiWeeklyFrom reads weekly hours; problems are recorded per entry.
func apiWeeklyFrom(f daoyue.FieldErrors, hs []hoursJSON) []daoyue.WeeklyRule {
	out := make([]daoyue.WeeklyRule, 0, len(hs))
	for i, h := range hs {
		path := fmt.Sprintf("weekly_hours.%d", i)
		start, ok1 := apiParseClock(h.Start)
		end, ok2 := apiParseClock(h.End)
		if h.Weekday < 0 || h.Weekday > 6 {
			f.Add(path+".weekday", "error.api_weekday")
		}
		if !ok1 {
			f.Add(path+".start", "error.api_clock")
		}
		if !ok2 {
			f.Add(path+".end", "error.api_clock")
		}
		out = append(out, daoyue.WeeklyRule{Weekday: time.Weekday(h.Weekday), Start: start, End: end})
	}
	return out
}

func apiRangesFrom(f daoyue.FieldErrors, rs []rangeJSON) []daoyue.TimeRange {
	out := make([]daoyue.TimeRange, 0, len(rs))
	for i, r := range rs {
		path := fmt.Sprintf("ranges.%d", i)
		start, ok1 := apiParseClock(r.Start)
		end, ok2 := apiParseClock(r.End)
		if !ok1 {
			f.Add(path+".start", "error.api_clock")
		}
		if !ok2 {
			f.Add(path+".end", "error.api_clock")
		}
		out = append(out, daoyue.TimeRange{Start: start, End: end})
	}
	return out
}

type overrideJSON struct {
	Date   string      `json:"date"`
	Ranges []rangeJSON `json:"ranges"`
}

func overrideOf(o *daoyue.DateOverride) overrideJSON {
	rs := make([]rangeJSON, 0, len(o.Ranges))
	for _, r := range o.Ranges {
		rs = append(rs, rangeJSON{apiClock(r.Start), apiClock(r.End)})
	}
	return overrideJSON{Date: o.Date, Ranges: rs}
}

// ---- services ----

type serviceJSON struct {
	ID                     string    `json:"id"`
	Name                   string    `json:"name"`
	Description            string    `json:"description"`
	DurationMinutes        int       `json:"duration_minutes"`
	BufferBeforeMinutes    int       `json:"buffer_before_minutes"`
	BufferAfterMinutes     int       `json:"buffer_after_minutes"`
	SlotStepMinutes        int       `json:"slot_step_minutes"`
	MinNoticeMinutes       int       `json:"min_notice_minutes"`
	HorizonDays            int       `json:"horizon_days"`
	Online                 bool      `json:"online"`
	OnlineInstructions     string    `json:"online_instructions"`
	Location               string    `json:"location"`
	Price                  moneyJSON `json:"price"`
	Confirmation           string    `json:"confirmation"`
	Payment                string    `json:"payment"`
	PaymentDeadlineMinutes int       `json:"payment_deadline_minutes"`
	MeetingHost            string    `json:"meeting_host"`
	DesignatedHostID       string    `json:"designated_host_id"`
	PractitionerIDs        []string  `json:"practitioner_ids"`
	Active                 bool      `json:"active"`
	CreatedAt              string    `json:"created_at"`
}

func serviceOf(s *daoyue.Service, loc *time.Location) serviceJSON {
	ids := s.PractitionerIDs
	if ids == nil {
		ids = []string{}
	}
	return serviceJSON{
		ID: s.ID, Name: s.Name, Description: s.Description, DurationMinutes: s.DurationMin,
		BufferBeforeMinutes: s.BufferBefore, BufferAfterMinutes: s.BufferAfter, SlotStepMinutes: s.SlotStep,
		MinNoticeMinutes: s.MinNoticeMin, HorizonDays: s.HorizonDays, Online: s.Online,
		OnlineInstructions: s.OnlineInstructions, Location: s.Location, Price: moneyJSON{s.Price.Amount, s.Price.Currency},
		Confirmation: string(s.Confirmation), Payment: string(s.Payment), PaymentDeadlineMinutes: s.PaymentDeadlineMin,
		MeetingHost: string(s.MeetingHost), DesignatedHostID: s.DesignatedHostID, PractitionerIDs: ids, Active: s.Active,
		CreatedAt: apiTime(s.CreatedAt, loc),
	}
}

// serviceInput is the body of POST and PUT services. Omitted fields take
// the documented defaults; id and created_at may be sent back as they were
// read (a GET, edit, PUT round trip) and are ignored.
type serviceInput struct {
	ID                     *string    `json:"id"`
	CreatedAt              *string    `json:"created_at"`
	Name                   string     `json:"name"`
	Description            string     `json:"description"`
	DurationMinutes        int        `json:"duration_minutes"`
	BufferBeforeMinutes    int        `json:"buffer_before_minutes"`
	BufferAfterMinutes     int        `json:"buffer_after_minutes"`
	SlotStepMinutes        int        `json:"slot_step_minutes"`
	MinNoticeMinutes       int        `json:"min_notice_minutes"`
	HorizonDays            *int       `json:"horizon_days"`
	Online                 bool       `json:"online"`
	OnlineInstructions     string     `json:"online_instructions"`
	Location               string     `json:"location"`
	Price                  *moneyJSON `json:"price"`
	Confirmation           string     `json:"confirmation"`
	Payment                string     `json:"payment"`
	PaymentDeadlineMinutes int        `json:"payment_deadline_minutes"`
	MeetingHost            string     `json:"meeting_host"`
	DesignatedHostID       string     `json:"designated_host_id"`
	PractitionerIDs        []string   `json:"practitioner_ids"`
	Active                 *bool      `json:"active"`
}

// Defaults of omitted service fields.
const apiDefaultHorizonDays = 60

func (in *serviceInput) service() *daoyue.Service {
	s := &daoyue.Service{
		Name: in.Name, Description: in.Description, DurationMin: in.DurationMinutes,
		BufferBefore: in.BufferBeforeMinutes, BufferAfter: in.BufferAfterMinutes, SlotStep: in.SlotStepMinutes,
		MinNoticeMin: in.MinNoticeMinutes, HorizonDays: apiDefaultHorizonDays, Online: in.Online,
		OnlineInstructions: in.OnlineInstructions, Location: in.Location,
		Price:        daoyue.Money{Currency: "TWD"},
		Confirmation: daoyue.ConfirmAuto, Payment: daoyue.PaymentNone, PaymentDeadlineMin: in.PaymentDeadlineMinutes,
		MeetingHost: daoyue.HostAssigned, DesignatedHostID: in.DesignatedHostID, PractitionerIDs: in.PractitionerIDs, Active: true,
	}
	if in.HorizonDays != nil {
		s.HorizonDays = *in.HorizonDays
	}
	if in.Price != nil {
		s.Price = daoyue.Money{Amount: in.Price.Amount, Currency: in.Price.Currency}
	}
	if in.Confirmation != "" {
		s.Confirmation = daoyue.Confirmation(in.Confirmation)
	}
	if in.Payment != "" {
		s.Payment = daoyue.PaymentRule(in.Payment)
	}
	if in.MeetingHost != "" {
		s.MeetingHost = daoyue.MeetingHost(in.MeetingHost)
	}
	if in.Active != nil {
		s.Active = *in.Active
	}
	if s.PractitionerIDs == nil {
		s.PractitionerIDs = []string{}
	}
	return s
}

// ---- members ----

type memberJSON struct {
	UserID    string `json:"user_id"`
	Email     string `json:"email"`
	Name      string `json:"name"`
	Role      string `json:"role"`
	CreatedAt string `json:"created_at"`
}

func memberOf(m *daoyue.Member, loc *time.Location) memberJSON {
	return memberJSON{UserID: m.UserID, Email: m.Email, Name: m.Name, Role: string(m.Role), CreatedAt: apiTime(m.CreatedAt, loc)}
}

type workspaceJSON struct {
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	Intro    string `json:"intro"`
	TimeZone string `json:"time_zone"`
	Role     string `json:"role,omitempty"`
}

// invitationJSON is an open invitation; its link is never shown: it goes
// only to the invited mailbox.
type invitationJSON struct {
	ID        string `json:"id"`
	Email     string `json:"email"`
	Role      string `json:"role"`
	Status    string `json:"status"`
	CreatedAt string `json:"created_at"`
	ExpiresAt string `json:"expires_at"`
}

func invitationOf(i *daoyue.Invitation, loc *time.Location, now time.Time) invitationJSON {
	return invitationJSON{ID: i.ID, Email: i.Email, Role: string(i.Role), Status: string(i.State(now)),
		CreatedAt: apiTime(i.CreatedAt, loc), ExpiresAt: apiTime(i.ExpiresAt, loc)}
}
