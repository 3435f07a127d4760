package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/daoyue/daoyue/proof"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/app"
)

// The public half of API v1: what the booking page and clients' own tools
// call without signing in. Nothing here carries private meeting details or
// another booking's data.

type publicServiceJSON struct {
	ID              string    `json:"id"`
	Name            string    `json:"name"`
	Description     string    `json:"description"`
	DurationMinutes int       `json:"duration_minutes"`
	Online          bool      `json:"online"`
	Location        string    `json:"location"`
	Price           moneyJSON `json:"price"`
	Confirmation    string    `json:"confirmation"`
	Payment         string    `json:"payment"`
	Practitioners   []refJSON `json:"practitioners"`
}

type publicWorkspaceJSON struct {
	Name     string `json:"name"`
	Slug     string `json:"slug"`
	Intro    string `json:"intro"`
	TimeZone string `json:"time_zone"`
	// The studio's contact and logo (studio settings).
	ContactEmail string              `json:"contact_email"`
	ContactPhone string              `json:"contact_phone"`
	LogoURL      *string             `json:"logo_url"`
	Services     []publicServiceJSON `json:"services"`
}

func (s *Server) apiPublicWorkspace(w http.ResponseWriter, r *http.Request) error {
	pp, err := s.App.PublicWorkspace(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	out := publicWorkspaceJSON{Name: pp.Workspace.Name, Slug: pp.Workspace.Slug, Intro: pp.Workspace.Intro,
		TimeZone: pp.Workspace.TimeZone, ContactEmail: pp.Workspace.ContactEmail, ContactPhone: pp.Workspace.ContactPhone,
		LogoURL: logoURL(pp.Workspace), Services: []publicServiceJSON{}}
	for _, svc := range pp.Services {
		ps := publicServiceJSON{ID: svc.ID, Name: svc.Name, Description: svc.Description, DurationMinutes: svc.DurationMin,
			Online: svc.Online, Price: moneyJSON{svc.Price.Amount, svc.Price.Currency},
			Confirmation: string(svc.Confirmation), Payment: string(svc.Payment), Practitioners: []refJSON{}}
		if !svc.Online {
			ps.Location = svc.Location
		}
		for _, id := range svc.PractitionerIDs {
			if p, ok := pp.Practitioners[id]; ok {
				ps.Practitioners = append(ps.Practitioners, refJSON{ID: p.ID, Name: p.Name})
			}
		}
		out.Services = append(out.Services, ps)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type slotJSON struct {
	Start          string `json:"start"`
	End            string `json:"end"`
	PractitionerID string `json:"practitioner_id"`
}

type slotsJSON struct {
	TimeZone string     `json:"time_zone"`
	Slots    []slotJSON `json:"slots"`
}

func (s *Server) apiSlots(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	in := app.SlotsInput{ServiceID: q.Get("service_id"), PractitionerID: q.Get("practitioner_id"), From: q.Get("from"), To: q.Get("to")}
	f := daoyue.FieldErrors{}
	if in.ServiceID == "" {
		f.Add("service_id", "error.required")
	}
	if in.From == "" {
		f.Add("from", "error.required")
	}
	if in.To == "" {
		f.Add("to", "error.required")
	}
	if err := f.Err(); err != nil {
		return err
	}
	res, err := s.App.Slots(r.Context(), r.PathValue("slug"), in)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	ws := res.Workspace
	head := appendSlotsHead(make([]byte, 0, 64), ws.TimeZone)
	if res.Gen == 0 {
		_, _ = w.Write(appendSlotItems(head, ws.Location(), res.Slots, nil))
		return nil
	}
	// A month the app served from its cache: so is its encoding.
	_, _ = w.Write(head)
	_, _ = w.Write(s.slotsJSON.items(res.Gen, res.Skip, ws.Location(), res.Slots))
	return nil
}

// appendSlotsJSON appends what writeJSON makes of a slotsJSON, byte for
// byte, without building one: a month of "any practitioner" is thousands
// of slots, and reflection and a string per time were most of its cost.
func appendSlotsJSON(b []byte, zone string, loc *time.Location, slots []daoyue.Slot) []byte {
	if b == nil {
		b = make([]byte, 0, 64+len(slots)*slotJSONSize)
	}
	return appendSlotItems(appendSlotsHead(b, zone), loc, slots, nil)
}

// slotJSONSize is about one slot's bytes, to size buffers.
const slotJSONSize = 2*len(`{"start":"2006-01-02T15:04:05+08:00",`) + len(`"practitioner_id":"",},`) + 24

func appendSlotsHead(b []byte, zone string) []byte {
	b = append(b, `{"time_zone":`...)
	b = appendJSONString(b, zone)
	return append(b, `,"slots":[`...)
}

// appendSlotItems appends the slots' array items and the document's end;
// with offsets, it records where each item starts (and, last, the end),
// so that any suffix of the list is a suffix of the bytes.
func appendSlotItems(b []byte, loc *time.Location, slots []daoyue.Slot, offsets *[]int) []byte {
	for i, sl := range slots {
		if i > 0 {
			b = append(b, ',')
		}
		if offsets != nil {
			*offsets = append(*offsets, len(b))
		}
		b = append(b, `{"start":"`...)
		b = appendRFC3339(b, sl.Start.In(loc))
		b = append(b, `","end":"`...)
		b = appendRFC3339(b, sl.End.In(loc))
		b = append(b, `","practitioner_id":`...)
		b = appendJSONString(b, sl.PractitionerID)
		b = append(b, '}')
	}
	if offsets != nil {
		*offsets = append(*offsets, len(b))
	}
	return append(b, "]}\n"...)
}

// appendRFC3339 appends t.Format(time.RFC3339), byte for byte, at a
// third of the cost for the common case (years 0–9999, offsets of whole
// minutes); anything else goes to AppendFormat.
func appendRFC3339(b []byte, t time.Time) []byte {
	y, mo, d := t.Date()
	_, off := t.Zone()
	if y < 0 || y > 9999 || off%60 != 0 {
		return t.AppendFormat(b, time.RFC3339)
	}
	h, mi, sec := t.Clock()
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+int(mo)/10), byte('0'+int(mo)%10), '-', byte('0'+d/10), byte('0'+d%10), 'T',
		byte('0'+h/10), byte('0'+h%10), ':', byte('0'+mi/10), byte('0'+mi%10), ':', byte('0'+sec/10), byte('0'+sec%10))
	if off == 0 {
		return append(b, 'Z')
	}
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	oh, om := off/3600, off/60%60
	return append(b, sign, byte('0'+oh/10), byte('0'+oh%10), ':', byte('0'+om/10), byte('0'+om%10))
}

// appendJSONString appends s as encoding/json (HTML escaping off) writes it.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			// The rare id or zone that needs escaping: as writeJSON would.
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			_ = enc.Encode(s)
			return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

type bookInput struct {
	ServiceID      string       `json:"service_id"`
	PractitionerID string       `json:"practitioner_id"`
	Start          string       `json:"start"`
	Client         clientJSON   `json:"client"`
	Note           string       `json:"note"`
	Language       string       `json:"language"`
	Proof          *proofJSON   `json:"proof"`
	Invoice        *invoiceJSON `json:"invoice"`
}

// invoiceJSON is the client's e-invoice choice (openapi InvoiceChoice).
type invoiceJSON struct {
	Type           string `json:"type"`
	Carrier        string `json:"carrier"`
	LoveCode       string `json:"love_code"`
	BusinessID     string `json:"business_id"`
	CompanyName    string `json:"company_name"`
	CompanyAddress string `json:"company_address"`
}

// proofJSON answers GET …/booking-challenge (see package proof): without
// it a booking is subject to the much tighter limits of unchecked ones.
type proofJSON struct {
	Challenge string `json:"challenge"`
	Solution  string `json:"solution"`
}

type bookedJSON struct {
	ID                 string  `json:"id"`
	Status             string  `json:"status"`
	Start              string  `json:"start"`
	End                string  `json:"end"`
	PractitionerID     string  `json:"practitioner_id"`
	ManageToken        string  `json:"manage_token"`
	ManageURL          string  `json:"manage_url"`
	OnlineInstructions string  `json:"online_instructions"`
	PaymentURL         *string `json:"payment_url"`
	PaymentDueAt       *string `json:"payment_due_at,omitempty"`
}

// apiBookingChallenge hands out a proof-of-work challenge for a booking
// at slug: find a decimal counter n such that SHA-256(challenge ":" n)
// starts with `bits` zero bits, and send both in the booking's "proof".
func (s *Server) apiBookingChallenge(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	if _, err := s.App.PublicWorkspace(r.Context(), slug); err != nil {
		return err
	}
	noStore(w)
	writeJSON(w, http.StatusOK, map[string]any{"challenge": s.App.ProofChallenge(slug), "bits": proof.Bits,
		"expires_in": int(proof.MaxAge.Seconds())})
	return nil
}

// apiBook submits a booking. Exactly one of any number of simultaneous
// submissions for a slot wins (app.Book); the others are slot_unavailable.
func (s *Server) apiBook(w http.ResponseWriter, r *http.Request) error {
	var in bookInput
	if err := apiDecodeJSON(w, r, &in); err != nil {
		return err
	}
	f := daoyue.FieldErrors{}
	start := apiParseTime(f, "start", in.Start)
	client := daoyue.Client{Name: in.Client.Name, Email: in.Client.Email, Phone: in.Client.Phone}
	if len(f) > 0 {
		// Report the form's other problems with the time's in one answer.
		tidy := daoyue.Client{Name: strings.TrimSpace(client.Name), Email: daoyue.NormalizeEmail(client.Email), Phone: strings.TrimSpace(client.Phone)}
		for k, v := range daoyue.ValidateClient(tidy, strings.TrimSpace(in.Note)) {
			f.Add(k, v)
		}
		return f.Err()
	}
	lang := in.Language
	if lang == "" {
		lang = langOf(r)
	}
	bi := app.BookInput{
		ServiceID: in.ServiceID, PractitionerID: in.PractitionerID, Start: start,
		Client: client, Note: in.Note, Language: lang, ClientAddr: s.clientIP(r),
	}
	if in.Proof != nil {
		bi.Proof = app.Proof{Challenge: in.Proof.Challenge, Solution: in.Proof.Solution}
	}
	if c := in.Invoice; c != nil {
		kind := c.Type
		if kind == "" {
			kind = "invalid" // required: refused with the field named
		}
		bi.Invoice = &daoyue.InvoiceChoice{Kind: daoyue.InvoiceKind(kind), Carrier: c.Carrier, LoveCode: c.LoveCode,
			BusinessID: c.BusinessID, CompanyName: c.CompanyName, CompanyAddr: c.CompanyAddress}
	}
	bk, err := s.App.Book(r.Context(), r.PathValue("slug"), bi)
	if err != nil {
		return err
	}
	loc := bk.Workspace.Location()
	b := bk.Booking
	out := bookedJSON{ID: b.ID, Status: string(b.Status), Start: apiTime(b.Start, loc), End: apiTime(b.End, loc),
		PractitionerID: b.PractitionerID, ManageToken: bk.ManageToken, ManageURL: s.BaseURL + "/b/" + bk.ManageToken}
	if bk.Service.Online {
		out.OnlineInstructions = bk.Service.OnlineInstructions
	}
	if b.Status == daoyue.StatusAwaitingPayment {
		out.PaymentDueAt = apiTimePtr(b.PaymentDueAt, loc)
		// The checkout link, when the studio takes online payment (ECPay or
		// Stripe); null when the client pays by the studio's instructions.
		if cv, err := s.App.ClientBooking(r.Context(), bk.ManageToken); err == nil && cv.PayOnline {
			u := s.BaseURL + "/b/" + bk.ManageToken + "/pay"
			out.PaymentURL = &u
		}
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}

type clientBookingJSON struct {
	ID                 string        `json:"id"`
	Status             string        `json:"status"`
	Start              string        `json:"start"`
	End                string        `json:"end"`
	Workspace          refSlugJSON   `json:"workspace"`
	Service            refJSON       `json:"service"`
	Practitioner       refJSON       `json:"practitioner"`
	Online             bool          `json:"online"`
	Location           string        `json:"location"`
	OnlineInstructions string        `json:"online_instructions"`
	Requests           []requestJSON `json:"requests"`
	Payment            paymentJSON   `json:"payment"`
	CanChange          bool          `json:"can_change"`
}

type refSlugJSON struct {
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	TimeZone string `json:"time_zone"`
}

// clientBookingOf is the client's view. It is built from app.ClientView,
// whose booking has no private meeting details and no studio's notes on
// payment to leak.
func (s *Server) clientBookingOf(v *app.ClientView) clientBookingJSON {
	loc := v.Workspace.Location()
	b := v.Booking
	out := clientBookingJSON{ID: b.ID, Status: string(b.Status), Start: apiTime(b.Start, loc), End: apiTime(b.End, loc),
		Workspace:    refSlugJSON{Slug: v.Workspace.Slug, Name: v.Workspace.Name, TimeZone: v.Workspace.TimeZone},
		Service:      refJSON{ID: v.Service.ID, Name: v.Service.Name},
		Practitioner: refJSON{ID: v.Practitioner.ID, Name: v.Practitioner.Name},
		Online:       b.Online, Requests: requestsJSON(v.Requests, loc), Payment: paymentOf(b, loc),
		CanChange: b.CanChange(s.App.Now())}
	if b.Online {
		out.OnlineInstructions = v.Service.OnlineInstructions
	} else {
		out.Location = v.Service.Location
	}
	return out
}

func (s *Server) apiClientBooking(w http.ResponseWriter, r *http.Request) error {
	v, err := s.App.ClientBooking(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.clientBookingOf(v))
	return nil
}

type startInput struct {
	Start string `json:"start"`
}

type reasonInput struct {
	Reason string `json:"reason"`
}

func (s *Server) apiClientReschedule(w http.ResponseWriter, r *http.Request) error {
	var in startInput
	if err := apiDecodeJSON(w, r, &in); err != nil {
		return err
	}
	f := daoyue.FieldErrors{}
	start := apiParseTime(f, "start", in.Start)
	if err := f.Err(); err != nil {
		return err
	}
	v, err := s.App.RequestReschedule(r.Context(), r.PathValue("token"), start)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.clientBookingOf(v))
	return nil
}

func (s *Server) apiClientCancel(w http.ResponseWriter, r *http.Request) error {
	var in reasonInput
	if err := apiDecodeOptional(w, r, &in); err != nil {
		return err
	}
	v, err := s.App.RequestCancel(r.Context(), r.PathValue("token"), in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.clientBookingOf(v))
	return nil
}
