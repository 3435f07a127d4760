// Package stripesim is a small fake of Stripe's API, faithful to what
// DaoYue calls: create a Checkout Session (POST /v1/checkout/sessions,
// form-encoded like stripe-go sends it, Bearer secret key), retrieve one
// (GET /v1/checkout/sessions/{id}), a hosted payment page (/pay/{id}) and
// webhook delivery signed with Stripe's real scheme (Stripe-Signature:
// t=…,v1=HMAC-SHA256(secret, "t.payload")). Tests use it over httptest; it
// has no test dependency so it could be mounted in development.
package stripesim

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// APIVersion is the version stamped on events: stripe-go v82's, so its
// webhook.ConstructEvent accepts them.
const APIVersion = "2025-08-27.basil"

// Options configure the simulator.
type Options struct {
	SecretKey     string // the API key callers must present
	WebhookSecret string // signs webhook deliveries (whsec_…)
	WebhookURL    string // where events are POSTed ("" delivers none)
	// Now stamps sessions; signatures always use the real clock, which
	// Stripe's tolerance check compares against.
	Now    func() time.Time
	Client *http.Client
}

// Session is a Checkout Session as the simulator keeps it.
type Session struct {
	ID                string            `json:"id"`
	Object            string            `json:"object"`
	AmountTotal       int64             `json:"amount_total"`
	Currency          string            `json:"currency"`
	ClientReferenceID string            `json:"client_reference_id"`
	CustomerEmail     string            `json:"customer_email"`
	Metadata          map[string]string `json:"metadata"`
	Mode              string            `json:"mode"`
	Status            string            `json:"status"`         // open, complete, expired
	PaymentStatus     string            `json:"payment_status"` // unpaid, paid
	PaymentIntent     *string           `json:"payment_intent"`
	SuccessURL        string            `json:"success_url"`
	CancelURL         string            `json:"cancel_url"`
	URL               string            `json:"url"`
	ExpiresAt         int64             `json:"expires_at"`
	Created           int64             `json:"created"`
	Livemode          bool              `json:"livemode"`
	ItemName          string            `json:"-"`
}

// Delivery is one webhook POST and DaoYue's answer.
type Delivery struct {
	EventID string
	Type    string
	Status  int
	Body    []byte
	Header  string
}

// Sim is the simulator.
type Sim struct {
	o   Options
	mux *http.ServeMux

	mu         sync.Mutex
	base       string
	sessions   map[string]*Session
	deliveries []Delivery
	forgeNext  bool
	shiftNext  int64
}

// New returns a simulator; SetBaseURL tells it where it is served.
func New(o Options) *Sim {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 10 * time.Second}
	}
	s := &Sim{o: o, mux: http.NewServeMux(), sessions: map[string]*Session{}}
	s.mux.HandleFunc("POST /v1/checkout/sessions", s.create)
	s.mux.HandleFunc("GET /v1/checkout/sessions/{id}", s.retrieve)
	s.mux.HandleFunc("GET /pay/{id}", s.payPage)
	s.mux.HandleFunc("POST /pay/{id}", s.payForm)
	return s
}

// Handler serves the API and the payment pages.
func (s *Sim) Handler() http.Handler { return s.mux }

// SetBaseURL is where the simulator is served (sessions' url).
func (s *Sim) SetBaseURL(u string) { s.mu.Lock(); s.base = strings.TrimRight(u, "/"); s.mu.Unlock() }

// URL is the simulator's base URL.
func (s *Sim) URL() string { s.mu.Lock(); defer s.mu.Unlock(); return s.base }

// SetWebhookURL sets where events go.
func (s *Sim) SetWebhookURL(u string) { s.mu.Lock(); s.o.WebhookURL = u; s.mu.Unlock() }

// ForgeNextEvent signs the next delivery with a wrong secret.
func (s *Sim) ForgeNextEvent() { s.mu.Lock(); s.forgeNext = true; s.mu.Unlock() }

// ShiftNextAmount changes the amount the next paid session reports.
func (s *Sim) ShiftNextAmount(d int64) { s.mu.Lock(); s.shiftNext = d; s.mu.Unlock() }

// Deliveries returns every webhook POST so far.
func (s *Sim) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.deliveries...)
}

// Session returns a copy of session id.
func (s *Sim) Session(id string) (Session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	x, ok := s.sessions[id]
	if !ok {
		return Session{}, false
	}
	return *x, true
}

// Sessions returns copies of every session.
func (s *Sim) Sessions() []Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Session
	for _, x := range s.sessions {
		out = append(out, *x)
	}
	return out
}

func randID(prefix string) string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

type apiError struct {
	Error struct {
		Type    string `json:"type"`
		Message string `json:"message"`
		Param   string `json:"param,omitempty"`
	} `json:"error"`
}

func writeErr(w http.ResponseWriter, status int, typ, msg, param string) {
	var e apiError
	e.Error.Type, e.Error.Message, e.Error.Param = typ, msg, param
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(e)
}

func (s *Sim) authorized(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get("Authorization") != "Bearer "+s.o.SecretKey || s.o.SecretKey == "" {
		writeErr(w, http.StatusUnauthorized, "invalid_request_error", "Invalid API Key provided", "")
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// zeroDecimal are Stripe's zero-decimal currencies (the ones DaoYue may
// send); TWD is not one: Stripe takes TWD in cents.
var zeroDecimal = map[string]bool{"jpy": true, "krw": true, "vnd": true, "clp": true}

func (s *Sim) create(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) {
		return
	}
	if err := r.ParseForm(); err != nil {
		writeErr(w, http.StatusBadRequest, "invalid_request_error", "bad form", "")
		return
	}
	f := r.PostForm
	if f.Get("mode") != "payment" {
		writeErr(w, http.StatusBadRequest, "invalid_request_error", "mode must be payment", "mode")
		return
	}
	for _, k := range []string{"success_url", "cancel_url"} {
		if !strings.HasPrefix(f.Get(k), "http") {
			writeErr(w, http.StatusBadRequest, "invalid_request_error", "Not a valid URL", k)
			return
		}
	}
	cur := strings.ToLower(f.Get("line_items[0][price_data][currency]"))
	unit, err := strconv.ParseInt(f.Get("line_items[0][price_data][unit_amount]"), 10, 64)
	qty, err2 := strconv.ParseInt(f.Get("line_items[0][quantity]"), 10, 64)
	if cur == "" || err != nil || err2 != nil || unit <= 0 || qty <= 0 || f.Get("line_items[0][price_data][product_data][name]") == "" {
		writeErr(w, http.StatusBadRequest, "invalid_request_error", "line_items[0] needs price_data (currency, unit_amount, product_data[name]) and quantity", "line_items")
		return
	}
	// Stripe's minimum charge is about US$0.50: NT$15 (1500 in cents).
	if cur == "twd" && unit*qty < 1500 || !zeroDecimal[cur] && cur != "twd" && unit*qty < 50 {
		writeErr(w, http.StatusBadRequest, "invalid_request_error", "Amount must be at least the minimum charge", "line_items[0][price_data][unit_amount]")
		return
	}
	now := s.o.Now()
	sess := &Session{ID: randID("cs_test_"), Object: "checkout.session", AmountTotal: unit * qty, Currency: cur,
		ClientReferenceID: f.Get("client_reference_id"), CustomerEmail: f.Get("customer_email"), Metadata: map[string]string{},
		Mode: "payment", Status: "open", PaymentStatus: "unpaid", SuccessURL: f.Get("success_url"), CancelURL: f.Get("cancel_url"),
		ExpiresAt: now.Add(24 * time.Hour).Unix(), Created: now.Unix(), ItemName: f.Get("line_items[0][price_data][product_data][name]")}
	if e := f.Get("expires_at"); e != "" {
		n, err := strconv.ParseInt(e, 10, 64)
		if err != nil || n < now.Add(30*time.Minute-time.Minute).Unix() || n > now.Add(24*time.Hour+time.Minute).Unix() {
			writeErr(w, http.StatusBadRequest, "invalid_request_error", "expires_at must be 30 minutes to 24 hours from now", "expires_at")
			return
		}
		sess.ExpiresAt = n
	}
	for k, v := range f {
		if strings.HasPrefix(k, "metadata[") && strings.HasSuffix(k, "]") {
			sess.Metadata[k[len("metadata["):len(k)-1]] = v[0]
		}
	}
	s.mu.Lock()
	sess.URL = s.base + "/pay/" + sess.ID
	s.sessions[sess.ID] = sess
	out := *sess
	s.mu.Unlock()
	writeJSON(w, out)
}

func (s *Sim) retrieve(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) {
		return
	}
	sess, ok := s.Session(r.PathValue("id"))
	if !ok {
		writeErr(w, http.StatusNotFound, "invalid_request_error", "No such checkout.session", "id")
		return
	}
	writeJSON(w, sess)
}

var page = template.Must(template.New("pay").Parse(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stripe Checkout (simulator)</title></head>
<body><h1>Stripe Checkout (simulator)</h1><p id="item">{{.ItemName}}</p><p id="amount">{{.AmountTotal}} {{.Currency}}</p>
{{if eq .Status "open"}}<form method="post"><button name="action" value="pay" id="stripe-pay">Pay</button>
<button name="action" value="pay_async" id="stripe-pay-async">Pay by bank debit (succeeds later)</button>
<button name="action" value="cancel" id="stripe-cancel">Cancel</button></form>{{else}}<p id="status">{{.Status}} / {{.PaymentStatus}}</p>{{end}}</body></html>`))

func (s *Sim) payPage(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.Session(r.PathValue("id"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = page.Execute(w, sess)
}

func (s *Sim) payForm(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	sess, ok := s.Session(id)
	if !ok {
		http.NotFound(w, r)
		return
	}
	switch r.FormValue("action") {
	case "cancel":
		http.Redirect(w, r, sess.CancelURL, http.StatusSeeOther)
		return
	case "pay_async":
		_ = s.PayAsync(id)
	default:
		_ = s.Pay(id)
	}
	http.Redirect(w, r, strings.ReplaceAll(sess.SuccessURL, "{CHECKOUT_SESSION_ID}", id), http.StatusSeeOther)
}

// Pay completes session id as paid by card and delivers
// checkout.session.completed.
func (s *Sim) Pay(id string) error {
	return s.complete(id, "paid", "checkout.session.completed")
}

// PayAsync completes session id with a delayed method (unpaid for now)
// and delivers checkout.session.completed; SucceedAsync pays it later.
func (s *Sim) PayAsync(id string) error {
	return s.complete(id, "unpaid", "checkout.session.completed")
}

// SucceedAsync delivers checkout.session.async_payment_succeeded.
func (s *Sim) SucceedAsync(id string) error {
	return s.complete(id, "paid", "checkout.session.async_payment_succeeded")
}

func (s *Sim) complete(id, paymentStatus, eventType string) error {
	s.mu.Lock()
	sess, ok := s.sessions[id]
	if !ok {
		s.mu.Unlock()
		return fmt.Errorf("stripesim: no session %s", id)
	}
	sess.Status, sess.PaymentStatus = "complete", paymentStatus
	if sess.PaymentIntent == nil {
		pi := randID("pi_")
		sess.PaymentIntent = &pi
	}
	snap := *sess
	if paymentStatus == "paid" && s.shiftNext != 0 {
		snap.AmountTotal += s.shiftNext
		s.shiftNext = 0
	}
	s.mu.Unlock()
	_, err := s.Send(eventType, snap)
	return err
}

// Event builds the JSON of an event of type typ about session.
func Event(typ string, sess Session, created time.Time) []byte {
	b, _ := json.Marshal(map[string]any{"id": randID("evt_"), "object": "event", "api_version": APIVersion,
		"created": created.Unix(), "livemode": false, "pending_webhooks": 1, "type": typ,
		"data": map[string]any{"object": sess}})
	return b
}

// Sign is Stripe's Stripe-Signature header for payload at t.
func Sign(secret string, t time.Time, payload []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "%d.", t.Unix())
	mac.Write(payload)
	return fmt.Sprintf("t=%d,v1=%s", t.Unix(), hex.EncodeToString(mac.Sum(nil)))
}

// Send delivers an event of type typ about sess and returns the status.
func (s *Sim) Send(typ string, sess Session) (int, error) {
	return s.Deliver(Event(typ, sess, s.o.Now()))
}

// Deliver POSTs payload, signed (or forged once after ForgeNextEvent), to
// the webhook URL; it is also how a test replays an event.
func (s *Sim) Deliver(payload []byte) (int, error) {
	s.mu.Lock()
	u, secret := s.o.WebhookURL, s.o.WebhookSecret
	if s.forgeNext {
		secret, s.forgeNext = "whsec_forged", false
	}
	s.mu.Unlock()
	if u == "" {
		return 0, nil
	}
	header := Sign(secret, time.Now(), payload)
	req, err := http.NewRequest(http.MethodPost, u, bytes.NewReader(payload))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Stripe-Signature", header)
	resp, err := s.o.Client.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	var ev struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	_ = json.Unmarshal(payload, &ev)
	s.mu.Lock()
	s.deliveries = append(s.deliveries, Delivery{EventID: ev.ID, Type: ev.Type, Status: resp.StatusCode, Body: payload, Header: header})
	s.mu.Unlock()
	return resp.StatusCode, nil
}
