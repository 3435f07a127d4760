package app

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/ecpay"
)

// ECPay (綠界) AIO checkout: each studio's own merchant (settings), the
// signed checkout form for a booking awaiting payment, the server-to-server
// notifications, the reconciliation of lost ones and card refunds. Money
// reaches the booking only through ReceivePayment.

// ECPay configures the ECPay integration; App.ECPay is nil without it.
type ECPay struct {
	Client *ecpay.Client
	// PaymentURL is the AIO host the browser posts the checkout to (also
	// allowed in the pages' form-action).
	PaymentURL string
	// Production refuses notifications fired from ECPay's dashboard
	// "模擬付款" (SimulatePaid=1): no money moved.
	Production bool
}

// ECPayAccountView is what the settings page shows of a studio's ECPay
// merchant: never the keys, only whether they are set.
type ECPayAccountView struct {
	MerchantID string
	KeySet     bool
	IVSet      bool
	Enabled    bool
}

// ECPayAccountChanges edits a studio's ECPay merchant. An empty key leaves
// the stored one as it is (the form never shows it).
type ECPayAccountChanges struct {
	MerchantID string
	HashKey    string
	HashIV     string
	Enabled    bool
	Forget     bool // remove the merchant and its keys
}

// ECPayAccount returns the studio's ECPay merchant for its settings page
// (owners and admins).
func (a *App) ECPayAccount(ctx context.Context, slug string) (*ECPayAccountView, error) {
	return a.merchant(ctx, slug, paymentMerchant)
}

// SetECPayAccount stores the studio's ECPay merchant (owners and admins).
func (a *App) SetECPayAccount(ctx context.Context, slug string, c ECPayAccountChanges) (*ECPayAccountView, error) {
	return a.setMerchant(ctx, slug, paymentMerchant, c)
}

// SeedECPayAccount gives the workspace slug the ECPay merchant c unless it
// has one (the development demo, with the simulator's merchant).
func (a *App) SeedECPayAccount(ctx context.Context, slug string, c ECPayAccountChanges) error {
	return a.seedMerchant(ctx, slug, paymentMerchant, c)
}

// ecpayCredentials opens the studio's ECPay keys; ready reports an enabled,
// complete account.
func (a *App) ecpayCredentials(ctx context.Context, tx daoyue.Tx, wsID string) (ecpay.Credentials, *daoyue.PaymentAccount, error) {
	acct, err := tx.PaymentAccount(ctx, wsID, daoyue.ProviderECPay)
	if err != nil {
		return ecpay.Credentials{}, nil, err
	}
	return a.openECPay(acct)
}

func (a *App) openECPay(acct *daoyue.PaymentAccount) (ecpay.Credentials, *daoyue.PaymentAccount, error) {
	cred, err := a.openMerchant(acct, paymentMerchant)
	return cred, acct, err
}

// ecpayReady reports whether the studio takes ECPay checkouts.
func (a *App) ecpayReady(ctx context.Context, tx daoyue.Tx, wsID string) (bool, error) {
	if a.ECPay == nil {
		return false, nil
	}
	acct, err := tx.PaymentAccount(ctx, wsID, daoyue.ProviderECPay)
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		return false, nil
	}
	return acct.Ready(), err
}

// newTradeNo is a fresh MerchantTradeNo: "DY", the time in base 36 and
// random letters, 20 alphanumeric characters at most, never reused.
func newTradeNo(now time.Time) string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return "DY" + strings.ToUpper(strconv.FormatInt(now.Unix(), 36)) + string(b)
}

// ECPayCheckoutURLs are where ECPay sends the payer and its notifications.
type ECPayCheckoutURLs struct {
	Return, Info, Back string
}

// StartECPayCheckout opens a fresh payment attempt for the booking behind
// token and returns the signed checkout form the browser posts to ECPay.
func (a *App) StartECPayCheckout(ctx context.Context, token string, urls ECPayCheckoutURLs) (*ecpay.CheckoutForm, error) {
	if a.ECPay == nil {
		return nil, daoyue.Errorf(daoyue.ETRANSITION, "error.ecpay_not_enabled")
	}
	var form *ecpay.CheckoutForm
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
		c, err := readClientCase(ctx, tx, token)
		if err != nil {
			return err
		}
		b := c.full
		if b.Status != daoyue.StatusAwaitingPayment || b.PaymentStatus != daoyue.PaymentUnpaid || b.PaymentDueAt == nil || !a.now().Before(*b.PaymentDueAt) {
			return daoyue.Errorf(daoyue.ETRANSITION, "error.ecpay_nothing_to_pay")
		}
		if b.Price.Currency != "TWD" || b.Price.Amount <= 0 {
			return daoyue.Errorf(daoyue.ETRANSITION, "error.ecpay_not_enabled")
		}
		cred, acct, err := a.ecpayCredentials(ctx, tx, b.WorkspaceID)
		if daoyue.IsCode(err, daoyue.ENOTFOUND) || (err == nil && !acct.Ready()) {
			return daoyue.Errorf(daoyue.ETRANSITION, "error.ecpay_not_enabled")
		} else if err != nil {
			return err
		}
		now := a.now()
		p := &daoyue.Payment{ID: daoyue.NewID("pay"), WorkspaceID: b.WorkspaceID, BookingID: b.ID, Provider: daoyue.ProviderECPay,
			Reference: newTradeNo(now), Amount: b.Price, State: daoyue.PaymentStarted, CreatedAt: now, UpdatedAt: now}
		if err := tx.CreatePayment(ctx, p); err != nil {
			return err
		}
		o := ecpay.Order{MerchantTradeNo: p.Reference, TotalAmount: b.Price.Amount, ItemName: itemName(c.Service.Name),
			TradeDesc: "DaoYue booking", ReturnURL: urls.Return, PaymentInfoURL: urls.Info, ClientBackURL: urls.Back,
			TradeDate: now}
		o.FitDeadline(now, *b.PaymentDueAt)
		if form, err = a.ECPay.Client.CheckoutForm(cred, o); err != nil {
			return err
		}
		return a.audit(daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorClient, Label: b.Client.Name}), tx, b.WorkspaceID,
			"payment.checkout_started", "booking", b.ID, map[string]string{"provider": "ecpay", "reference": p.Reference})
	})
	return form, err
}

// itemName is the service's name as ECPay accepts it: no '#' (its item
// separator), no markup, at most 200 characters.
func itemName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '#', '<', '>', '&', '\r', '\n':
			return ' '
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200])
	}
	if strings.TrimSpace(s) == "" {
		s = "Booking"
	}
	return s
}

// ECPay notification kinds.
const (
	ECPayReturn = "return" // ReturnURL: the payment result
	ECPayInfo   = "info"   // PaymentInfoURL: ATM account / store code issued
)

// ErrECPayRefused is a notification that is not ECPay's word about one of
// our attempts (forged, another merchant, unknown trade): answered 0|….
var ErrECPayRefused = errors.New("ecpay notification refused")

// ECPayNotification handles a ReturnURL or PaymentInfoURL notification and
// returns the answer body: "1|OK" once it is handled (also for a repeat,
// or a payment recorded but not applied), "0|…" when it is refused.
func (a *App) ECPayNotification(ctx context.Context, kind string, form url.Values) string {
	err := a.ecpayNotification(ctx, kind, form)
	switch {
	case err == nil:
		return ecpay.AnswerOK
	case errors.Is(err, ErrECPayRefused):
		a.Log.Warn("ecpay notification refused", slog.String("kind", kind), slog.String("reason", err.Error()))
		return ecpay.AnswerError("refused")
	default:
		a.Log.Error("ecpay notification failed", slog.String("kind", kind), slog.String("error", err.Error()))
		return ecpay.AnswerError("try again")
	}
}

func (a *App) ecpayNotification(ctx context.Context, kind string, form url.Values) error {
	if a.ECPay == nil {
		return errors.Join(ErrECPayRefused, errors.New("ecpay not configured"))
	}
	ref := form.Get("MerchantTradeNo")
	if !ecpay.ValidMerchantTradeNo(ref) {
		return errors.Join(ErrECPayRefused, errors.New("bad trade number"))
	}
	var (
		p    *daoyue.Payment
		cred ecpay.Credentials
	)
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		if p, err = tx.PaymentByReference(ctx, daoyue.ProviderECPay, ref); err != nil {
			return err
		}
		cred, _, err = a.ecpayCredentials(ctx, tx, p.WorkspaceID)
		return err
	})
	if daoyue.IsCode(err, daoyue.ENOTFOUND) || daoyue.IsCode(err, daoyue.ETRANSITION) {
		return errors.Join(ErrECPayRefused, errors.New("unknown trade or merchant"))
	} else if err != nil {
		return err
	}
	// The studio that owns the attempt signs it: another merchant's keys,
	// even valid ones, cannot touch this studio's booking.
	if ecpay.MerchantOf(form) != cred.MerchantID {
		return errors.Join(ErrECPayRefused, errors.New("merchant is not the attempt's studio"))
	}
	n, err := ecpay.VerifyNotification(form, cred)
	if err != nil {
		return errors.Join(ErrECPayRefused, err)
	}
	sys := daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorSystem, Label: "ecpay"})
	if n.SimulatePaid && a.ECPay.Production {
		// 模擬付款 from ECPay's dashboard: no money moved. Answer so it
		// stops, apply nothing, let the studio see it.
		return a.Store.Update(sys, func(tx daoyue.Tx) error {
			return a.audit(sys, tx, p.WorkspaceID, "payment.simulated_ignored", "booking", p.BookingID,
				map[string]string{"provider": "ecpay", "reference": ref})
		})
	}
	switch {
	case kind == ECPayReturn && n.Paid():
		paid := n.PaymentDate
		_, err := a.ReceivePayment(ctx, Received{Provider: daoyue.ProviderECPay, Reference: ref,
			Amount: daoyue.Money{Amount: n.TradeAmt, Currency: "TWD"}, Method: ecpayMethod(n.PaymentType),
			ProviderRef: n.TradeNo, PaidAt: paid})
		return err
	case kind == ECPayInfo && n.PaymentInfoIssued:
		return a.ecpayInfoIssued(sys, ref, n)
	default:
		// Declined card, or a code that could not be issued.
		return a.Store.Update(sys, func(tx daoyue.Tx) error {
			q, err := tx.PaymentByReference(sys, daoyue.ProviderECPay, ref)
			if err != nil || !q.Open() {
				return err
			}
			q.State, q.Failure, q.UpdatedAt = daoyue.PaymentFailed, truncateRunes(n.RtnMsg, 200), a.now()
			if err := tx.UpdatePayment(sys, q); err != nil {
				return err
			}
			return a.audit(sys, tx, q.WorkspaceID, "payment.failed", "booking", q.BookingID,
				map[string]string{"provider": "ecpay", "reference": ref, "code": strconv.Itoa(n.RtnCode)})
		})
	}
}

// ecpayMethod is our name for ECPay's PaymentType.
func ecpayMethod(paymentType string) string {
	m, _, _ := strings.Cut(paymentType, "_")
	switch m {
	case "Credit":
		return "credit"
	case "ATM", "WebATM":
		return "atm"
	case "CVS":
		return "cvs"
	case "BARCODE":
		return "barcode"
	}
	return strings.ToLower(m)
}

func truncateRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// ecpayInfoIssued keeps the ATM account or store code on the attempt and
// mails it to the client, once.
func (a *App) ecpayInfoIssued(ctx context.Context, ref string, n *ecpay.Notification) error {
	return a.Store.Update(ctx, func(tx daoyue.Tx) error {
		p, err := tx.PaymentByReference(ctx, daoyue.ProviderECPay, ref)
		if err != nil {
			return err
		}
		if p.State != daoyue.PaymentStarted {
			return nil // a repeat, or paid already
		}
		if n.TradeAmt != p.Amount.Amount {
			return a.audit(ctx, tx, p.WorkspaceID, "payment.mismatch", "booking", p.BookingID,
				map[string]string{"provider": "ecpay", "reference": ref, "amount": strconv.FormatInt(n.TradeAmt, 10) + " TWD"})
		}
		p.State, p.Method, p.ProviderRef, p.UpdatedAt = daoyue.PaymentAwaiting, ecpayMethod(n.PaymentType), n.TradeNo, a.now()
		p.BankCode, p.Account, p.PayCode = n.BankCode, n.VAccount, n.PaymentNo
		if p.PayCode == "" && n.Barcode[1] != "" {
			p.PayCode = strings.Join(n.Barcode[:], " ")
		}
		if !n.ExpireDate.IsZero() {
			exp := n.ExpireDate.UTC()
			if !strings.Contains(n.ExpireDateRaw, ":") {
				// Date only: the whole day (Taipei) counts.
				exp = exp.Add(24*time.Hour - time.Second)
			}
			p.ExpiresAt = &exp
		}
		if err := tx.UpdatePayment(ctx, p); err != nil {
			return err
		}
		b, err := tx.Booking(ctx, p.WorkspaceID, p.BookingID)
		if err != nil {
			return err
		}
		if err := a.audit(ctx, tx, p.WorkspaceID, "payment.details_issued", "booking", p.BookingID,
			map[string]string{"provider": "ecpay", "reference": ref, "method": p.Method}); err != nil {
			return err
		}
		if b.Status != daoyue.StatusAwaitingPayment {
			return nil
		}
		return a.queuePaymentMail(ctx, tx, b, p)
	})
}

// ReconcileECPay asks ECPay about open attempts whose notification never
// came (older than 15 minutes, a bounded batch, oldest first) and feeds
// the paid ones to ReceivePayment. It stops at ECPay's rate limit (403).
// Attempts that can no longer turn into money are closed.
func (a *App) ReconcileECPay(ctx context.Context, limit int) (int, error) {
	if a.ECPay == nil {
		return 0, nil
	}
	var open []*daoyue.Payment
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		open, err = tx.OpenPayments(ctx, daoyue.ProviderECPay, a.now().Add(-15*time.Minute), limit)
		return err
	})
	if err != nil {
		return 0, err
	}
	confirmed := 0
	creds := map[string]ecpay.Credentials{}
	for _, p := range open {
		cred, ok := creds[p.WorkspaceID]
		if !ok {
			err := a.Store.View(ctx, func(tx daoyue.Tx) error {
				var err error
				cred, _, err = a.ecpayCredentials(ctx, tx, p.WorkspaceID)
				return err
			})
			if err != nil {
				a.closeAttempt(ctx, p, "no ECPay merchant")
				continue
			}
			creds[p.WorkspaceID] = cred
		}
		t, err := a.ECPay.Client.QueryTrade(ctx, cred, p.Reference)
		var httpErr *ecpay.HTTPError
		if errors.As(err, &httpErr) && httpErr.RateLimited() {
			a.Log.Warn("ecpay reconciliation: rate limited, stopping this round")
			return confirmed, nil
		}
		if err != nil {
			a.Log.Warn("ecpay reconciliation: query failed", slog.String("reference", p.Reference), slog.String("error", err.Error()))
			continue
		}
		switch {
		case t.Paid():
			_, err := a.ReceivePayment(ctx, Received{Provider: daoyue.ProviderECPay, Reference: p.Reference,
				Amount: daoyue.Money{Amount: t.TradeAmt, Currency: "TWD"}, Method: ecpayMethod(t.PaymentType),
				ProviderRef: t.TradeNo, PaidAt: t.PaymentDate})
			if err != nil {
				return confirmed, err
			}
			confirmed++
		case !t.Found() && a.now().Sub(p.CreatedAt) > 2*time.Hour:
			a.closeAttempt(ctx, p, "never submitted to ECPay")
		case t.Found() && t.TradeStatus != ecpay.TradeUnpaid:
			a.closeAttempt(ctx, p, "ECPay: not paid ("+t.TradeStatus+")")
		case p.ExpiresAt != nil && a.now().After(p.ExpiresAt.Add(48*time.Hour)):
			a.closeAttempt(ctx, p, "payment deadline passed")
		case p.ExpiresAt == nil && a.now().Sub(p.CreatedAt) > 72*time.Hour:
			a.closeAttempt(ctx, p, "abandoned")
		}
	}
	return confirmed, nil
}

// closeAttempt marks an open attempt failed (it will not be queried again).
func (a *App) closeAttempt(ctx context.Context, p *daoyue.Payment, why string) {
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
		q, err := tx.Payment(ctx, p.WorkspaceID, p.ID)
		if err != nil || !q.Open() {
			return err
		}
		q.State, q.Failure, q.UpdatedAt = daoyue.PaymentFailed, why, a.now()
		return tx.UpdatePayment(ctx, q)
	})
	if err != nil {
		a.Log.Warn("ecpay reconciliation: closing an attempt failed", slog.String("reference", p.Reference), slog.String("error", err.Error()))
	}
}

// ECPayRefundable is the succeeded ECPay card payment of a booking that
// the studio can refund through ECPay, or nil.
func ECPayRefundable(ps []*daoyue.Payment) *daoyue.Payment {
	for i := len(ps) - 1; i >= 0; i-- {
		p := ps[i]
		if p.Provider == daoyue.ProviderECPay && p.State == daoyue.PaymentSucceeded && p.Method == "credit" && p.ProviderRef != "" {
			return p
		}
	}
	return nil
}

// RefundECPay gives amount back through ECPay (DoAction R, card payments
// only) and records it. ECPay is called outside any transaction; its
// refusal changes nothing here and is returned for the studio to read.
func (a *App) RefundECPay(ctx context.Context, slug, id string, amount int64) (*BookingDetail, error) {
	if a.ECPay == nil {
		return nil, daoyue.Errorf(daoyue.ETRANSITION, "error.ecpay_not_enabled")
	}
	var (
		p    *daoyue.Payment
		cred ecpay.Credentials
	)
	err := a.memberView(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		b, err := memberBooking(ctx, tx, ws, m, id)
		if err != nil {
			return err
		}
		check := *b
		if err := check.Refund(amount, a.now()); err != nil {
			return err
		}
		ps, err := tx.BookingPayments(ctx, ws.ID, id)
		if err != nil {
			return err
		}
		if p = ECPayRefundable(ps); p == nil {
			return daoyue.Errorf(daoyue.ETRANSITION, "error.ecpay_refund_not_card")
		}
		cred, _, err = a.ecpayCredentials(ctx, tx, ws.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := a.ECPay.Client.Refund(ctx, cred, p.Reference, p.ProviderRef, amount); err != nil {
		a.Log.Warn("ecpay refund refused", slog.String("reference", p.Reference), slog.String("error", err.Error()))
		return nil, daoyue.Errorf(daoyue.ECONFLICT, "error.ecpay_refund_failed").With("reason", ecpayReason(err))
	}
	return a.change(ctx, slug, id, "booking.refunded", func(tx daoyue.Tx, d *BookingDetail) (map[string]string, error) {
		return map[string]string{"amount": strconv.FormatInt(amount, 10), "provider": "ecpay", "reference": p.Reference},
			d.Booking.Refund(amount, a.now())
	})
}

// ecpayReason is ECPay's own message for a refused call (never a key).
func ecpayReason(err error) string {
	var rtn *ecpay.RtnError
	if errors.As(err, &rtn) {
		return rtn.Error()
	}
	var h *ecpay.HTTPError
	if errors.As(err, &h) {
		return h.Error()
	}
	return "ECPay did not answer"
}
