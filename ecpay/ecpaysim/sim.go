// Package ecpaysim is a faithful, in-memory simulator of the parts of ECPay
// DaoYue uses: the AIO checkout (POST /Cashier/AioCheckOut/V5 with a payer
// page offering card, ATM and convenience-store payment), the signed
// server-to-server notifications (ReturnURL, PaymentInfoURL) with ECPay's
// "answer exactly 1|OK or I send again" retries, QueryTradeInfo/V5,
// /CreditDetail/DoAction (capture, refund, cancel, abandon on card trades)
// and the B2C e-invoice API (Issue, Invalid, CheckBarcode, CheckLoveCode)
// with its JSON+AES envelope. It is built from the checklist in §11 of
// /work/shared/ecpay-api.md (section numbers in comments refer to it).
//
// Knobs inject what goes wrong with ECPay in real life: duplicate, late,
// forged and never-sent notifications, declined cards, and amounts that do
// not match. Time comes from Options.Now plus an offset that Advance moves,
// so tests run "a day later" and ECPay's retry schedule without sleeping.
//
// It serves tests (through package ecpaysimtest, which keeps testing out of
// the binary), developer mode (Main, or Handler mounted under a prefix such
// as /ecpaysim) and is safe for concurrent use. It imports only the standard
// library and, on purpose, not package ecpay: the client and the simulator
// each implement the documented behaviour and the tests check they agree.
package ecpaysim

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// Merchant is one merchant's credentials.
type Merchant struct{ ID, HashKey, HashIV string }

// The public stage merchants (§1.2), accepted unless Options.NoStageMerchants.
var (
	StageMerchant        = Merchant{ID: "3002607", HashKey: "pwFHCqoQZGmho4w6", HashIV: "EkRm7iFT261dpevs"}
	StageInvoiceMerchant = Merchant{ID: "2000132", HashKey: "ejCk326UnaZWKisg", HashIV: "q9jcZX8Ib9LM8wYk"}
)

// Options configure a simulator. Zero values get sensible defaults.
type Options struct {
	// Merchants are accepted for payment, InvoiceMerchants for e-invoice, in
	// addition to the stage merchants.
	Merchants        []Merchant
	InvoiceMerchants []Merchant
	NoStageMerchants bool
	// Now is the clock; default time.Now. Advance adds to it.
	Now func() time.Time
	// BaseURL is the simulator's public base, prefix included (see SetBaseURL).
	BaseURL string
	// NotifyClient sends notifications; default a client with a 10 s
	// timeout (ECPay's own timeout is not documented, §12.1).
	NotifyClient *http.Client
	// Resends is how many times an unanswered notification is sent again;
	// default 4 (observed, §4.3). RetryDelay picks the wait before resend
	// n (1-based); default random 5–15 minutes.
	Resends    int
	RetryDelay func(n int) time.Duration
	// ManualClose turns ECPay's daily automatic card close at 20:15 off:
	// card trades then close only after DoAction C, at the next 20:15.
	ManualClose bool
	// LoveCodes and Barcodes, when set, are the only registered ones for
	// CheckLoveCode/CheckBarcode; by default every well-formed one is.
	LoveCodes []string
	Barcodes  []string
	// InvoiceTrack is the two-letter invoice prefix; default "DY".
	InvoiceTrack string
}

// Sim is the simulator.
type Sim struct {
	o            Options
	mux          *http.ServeMux
	client       *http.Client
	merchants    map[string]Merchant
	invMerchants map[string]Merchant
	loveCodes    map[string]bool
	barcodes     map[string]bool

	mu         sync.Mutex
	base       string
	prefix     string
	offset     time.Duration
	trades     map[string]*Trade // merchant + "/" + MerchantTradeNo
	byTradeNo  map[string]*Trade
	order      []*Trade
	seq        int
	pending    []*pendingDelivery
	deliveries []Delivery
	invoices   []*Invoice
	relate     map[string]*Invoice // merchant + "/" + RelateNumber
	invSeq     map[string]int
	f          faults
	calls      map[string]int
}

type faults struct {
	drop       bool
	delay      time.Duration
	duplicates int
	forgeNext  bool
	shiftNext  int64
	declineAll bool
}

// New returns a simulator.
func New(o Options) *Sim {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Resends == 0 {
		o.Resends = 4
	}
	if o.RetryDelay == nil {
		o.RetryDelay = func(int) time.Duration { return 5*time.Minute + rand.N(10*time.Minute) }
	}
	if o.InvoiceTrack == "" {
		o.InvoiceTrack = "DY"
	}
	s := &Sim{o: o, client: o.NotifyClient, merchants: map[string]Merchant{}, invMerchants: map[string]Merchant{},
		trades: map[string]*Trade{}, byTradeNo: map[string]*Trade{}, relate: map[string]*Invoice{},
		invSeq: map[string]int{}, calls: map[string]int{}}
	if s.client == nil {
		s.client = &http.Client{Timeout: 10 * time.Second}
	}
	if !o.NoStageMerchants {
		s.merchants[StageMerchant.ID] = StageMerchant
		s.invMerchants[StageInvoiceMerchant.ID] = StageInvoiceMerchant
	}
	for _, m := range o.Merchants {
		s.merchants[m.ID] = m
	}
	for _, m := range o.InvoiceMerchants {
		s.invMerchants[m.ID] = m
	}
	if o.LoveCodes != nil {
		s.loveCodes = set(o.LoveCodes)
	}
	if o.Barcodes != nil {
		s.barcodes = set(o.Barcodes)
	}
	s.SetBaseURL(o.BaseURL)
	s.routes()
	return s
}

func set(xs []string) map[string]bool {
	m := map[string]bool{}
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// Handler serves the simulator at the root of its base URL.
func (s *Sim) Handler() http.Handler { return s.mux }

// SetBaseURL tells the simulator its public base, e.g. http://127.0.0.1:9091
// or http://localhost:8080/ecpaysim when mounted under a prefix; the pages'
// links use its path.
func (s *Sim) SetBaseURL(base string) {
	base = strings.TrimRight(base, "/")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.base = base
	if u, err := url.Parse(base); err == nil {
		s.prefix = strings.TrimRight(u.Path, "/")
	}
}

// Mount serves the simulator under prefix (e.g. "/ecpaysim") of mux, for a
// developer server. Call SetBaseURL too if clients need the absolute URL,
// and start Run so that retries and late notifications go out.
func (s *Sim) Mount(mux *http.ServeMux, prefix string) {
	prefix = "/" + strings.Trim(prefix, "/")
	s.mu.Lock()
	s.prefix = prefix
	s.mu.Unlock()
	mux.Handle(prefix+"/", http.StripPrefix(prefix, s.mux))
}

// URL is the base URL; point ecpay.Config's PaymentURL and InvoiceURL here.
func (s *Sim) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.base
}

// Now is the simulator's clock: Options.Now plus every Advance.
func (s *Sim) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nowLocked()
}

func (s *Sim) nowLocked() time.Time { return s.o.Now().Add(s.offset) }

// Advance moves the clock forward by d and sends the notifications and
// retries that became due, before returning.
func (s *Sim) Advance(d time.Duration) {
	s.mu.Lock()
	s.offset += d
	s.mu.Unlock()
	s.DeliverDue(context.Background())
}

// RetryNow makes every waiting notification (retry, delayed, duplicate) due
// now and sends them, without moving the clock.
func (s *Sim) RetryNow() {
	s.mu.Lock()
	now := s.nowLocked()
	for _, p := range s.pending {
		p.due = now
	}
	s.mu.Unlock()
	s.DeliverDue(context.Background())
}

// Run sends due notifications every few seconds until ctx is done; for
// developer mode, where the clock is real.
func (s *Sim) Run(ctx context.Context) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.DeliverDue(ctx)
		}
	}
}

// Calls counts requests per route pattern.
func (s *Sim) Calls(pattern string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[pattern]
}

// Knobs. Each holds until changed, except the "Next" ones, which apply once.

// DropNotifications stops sending notifications (they are recorded as
// dropped): the merchant must reconcile with QueryTradeInfo.
func (s *Sim) DropNotifications(on bool) { s.mu.Lock(); s.f.drop = on; s.mu.Unlock() }

// DelayNotifications holds new notifications for d of simulator time (late
// notifications; an ATM payment-info may then arrive after the result).
func (s *Sim) DelayNotifications(d time.Duration) { s.mu.Lock(); s.f.delay = d; s.mu.Unlock() }

// DuplicateNotifications sends every notification n more times even after
// a "1|OK" answer.
func (s *Sim) DuplicateNotifications(n int) { s.mu.Lock(); s.f.duplicates = n; s.mu.Unlock() }

// ForgeNextNotification signs the next notification's first delivery with
// wrong keys, as a forger would; ECPay's own resend then carries a correct
// CheckMacValue.
func (s *Sim) ForgeNextNotification() { s.mu.Lock(); s.f.forgeNext = true; s.mu.Unlock() }

// ShiftNextAmount reports the next payment result's TradeAmt off by delta,
// correctly signed: only the merchant's amount check catches it.
func (s *Sim) ShiftNextAmount(delta int64) { s.mu.Lock(); s.f.shiftNext = delta; s.mu.Unlock() }

// DeclineCards makes the card button decline (RtnCode != 1) while on.
func (s *Sim) DeclineCards(on bool) { s.mu.Lock(); s.f.declineAll = on; s.mu.Unlock() }

// Trade states.
const (
	StateCreated  = "created"  // checkout accepted, no method chosen yet
	StateAwaiting = "awaiting" // ATM account / store code issued, not paid
	StatePaid     = "paid"
	StateFailed   = "failed" // card declined
)

// Card states (§7).
const (
	CardAuthorised = "authorised"
	CardClosing    = "closing"
	CardClosed     = "closed"
	CardAbandoned  = "abandoned"
	CardCancelled  = "refunded" // fully refunded
)

// Trade is a checkout as the simulator holds it.
type Trade struct {
	MerchantID      string
	MerchantTradeNo string
	TradeNo         string
	Amount          int64
	ItemName        string
	Params          url.Values // the checkout form as posted
	Created         time.Time
	State           string
	Methods         []string // offered on the payer page
	Method          string   // Credit, ATM, CVS, BARCODE once chosen
	PaymentType     string
	PaymentDate     time.Time
	ChargeFee       int64
	SimulatePaid    bool
	BankCode        string
	VAccount        string
	PaymentNo       string
	Barcodes        [3]string
	ExpireDate      string
	ExpireAt        time.Time
	CardState       string
	Refunded        int64
	closeAt         time.Time
}

// Trades returns copies of every trade, oldest first.
func (s *Sim) Trades() []Trade {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Trade, 0, len(s.order))
	for _, t := range s.order {
		s.settleCard(t)
		out = append(out, *t)
	}
	return out
}

// Trade returns a copy of one trade.
func (s *Sim) Trade(merchantID, merchantTradeNo string) (Trade, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.trades[merchantID+"/"+merchantTradeNo]
	if t == nil {
		return Trade{}, false
	}
	s.settleCard(t)
	return *t, true
}

// settleCard applies the automatic close at 20:15 (§7) lazily.
func (s *Sim) settleCard(t *Trade) {
	if t.Method != "Credit" || t.State != StatePaid {
		return
	}
	now := s.nowLocked()
	if (t.CardState == CardClosing || (t.CardState == CardAuthorised && !s.o.ManualClose)) && !now.Before(t.closeAt) {
		t.CardState = CardClosed
	}
}

// nextClose is the first 20:15 Taipei after t.
func nextClose(t time.Time) time.Time {
	l := t.In(taipei)
	c := time.Date(l.Year(), l.Month(), l.Day(), 20, 15, 0, 0, taipei)
	if !c.After(l) {
		c = c.AddDate(0, 0, 1)
	}
	return c
}

// Delivery is one notification attempt.
type Delivery struct {
	Kind            string // "ReturnURL" or "PaymentInfoURL"
	URL             string
	MerchantTradeNo string
	Fields          url.Values
	Attempt         int // 1 = first delivery
	At              time.Time
	Status          int
	Answer          string
	Err             string
	OK              bool // answered exactly "1|OK"
	Forged          bool
	Duplicate       bool
	Dropped         bool // never sent (DropNotifications)
}

// Deliveries returns every notification attempt so far.
func (s *Sim) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Delivery, len(s.deliveries))
	copy(out, s.deliveries)
	return out
}

// Pending is how many notifications wait for their time.
func (s *Sim) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending)
}

type pendingDelivery struct {
	kind, url string
	t         *Trade
	fields    url.Values // unsigned
	attempt   int
	due       time.Time
	forged    bool
	duplicate bool
	dupsLeft  int
}

// enqueueLocked schedules a notification according to the knobs.
func (s *Sim) enqueueLocked(kind, u string, t *Trade, fields url.Values) {
	if u == "" {
		return
	}
	now := s.nowLocked()
	if s.f.drop {
		s.deliveries = append(s.deliveries, Delivery{Kind: kind, URL: u, MerchantTradeNo: t.MerchantTradeNo,
			Fields: s.sign(t.MerchantID, fields, false), Attempt: 1, At: now, Dropped: true})
		return
	}
	p := &pendingDelivery{kind: kind, url: u, t: t, fields: fields, attempt: 1, due: now.Add(s.f.delay),
		forged: s.f.forgeNext, dupsLeft: s.f.duplicates}
	s.f.forgeNext = false
	s.pending = append(s.pending, p)
}

func (s *Sim) sign(merchantID string, fields url.Values, forged bool) url.Values {
	m := s.merchants[merchantID]
	if forged {
		m = Merchant{HashKey: "forgedforgedforg", HashIV: "forgedforgedforg"}
	}
	v := url.Values{}
	for k, x := range fields {
		v[k] = append([]string(nil), x...)
	}
	v.Set("CheckMacValue", checkMacValue(v, m.HashKey, m.HashIV))
	return v
}

// DeliverDue sends every notification whose time has come, one at a time,
// oldest due first, including retries and duplicates that become due while
// it runs.
func (s *Sim) DeliverDue(ctx context.Context) {
	for {
		s.mu.Lock()
		now := s.nowLocked()
		sort.SliceStable(s.pending, func(i, j int) bool { return s.pending[i].due.Before(s.pending[j].due) })
		if len(s.pending) == 0 || s.pending[0].due.After(now) {
			s.mu.Unlock()
			return
		}
		p := s.pending[0]
		s.pending = s.pending[1:]
		signed := s.sign(p.t.MerchantID, p.fields, p.forged)
		s.mu.Unlock()

		status, answer, err := s.post(ctx, p.url, signed)

		s.mu.Lock()
		d := Delivery{Kind: p.kind, URL: p.url, MerchantTradeNo: p.t.MerchantTradeNo, Fields: signed, Attempt: p.attempt,
			At: s.nowLocked(), Status: status, Answer: answer, Forged: p.forged, Duplicate: p.duplicate}
		if err != nil {
			d.Err = err.Error()
		}
		// §4.3: only exactly "1|OK" stops the resends.
		d.OK = err == nil && status == http.StatusOK && answer == "1|OK"
		s.deliveries = append(s.deliveries, d)
		switch {
		case d.OK && p.dupsLeft > 0:
			s.pending = append(s.pending, &pendingDelivery{kind: p.kind, url: p.url, t: p.t, fields: p.fields,
				attempt: p.attempt, due: s.nowLocked(), duplicate: true, dupsLeft: p.dupsLeft - 1})
		case !d.OK && !p.duplicate && p.attempt <= s.o.Resends:
			next := *p
			next.attempt++
			next.forged = false
			next.due = s.nowLocked().Add(s.o.RetryDelay(p.attempt))
			if p.kind == "ReturnURL" {
				// Observed: resends say RtnMsg=paid, with their own mac.
				next.fields = cloneValues(p.fields)
				if next.fields.Get("RtnCode") == "1" {
					next.fields.Set("RtnMsg", "paid")
				}
			}
			s.pending = append(s.pending, &next)
		}
		s.mu.Unlock()
	}
}

func cloneValues(v url.Values) url.Values {
	c := url.Values{}
	for k, x := range v {
		c[k] = append([]string(nil), x...)
	}
	return c
}

func (s *Sim) post(ctx context.Context, u string, fields url.Values) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(fields.Encode()))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return resp.StatusCode, string(b), err
}
