package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"github.com/daoyue/daoyue"
)

// Stripe Checkout, for studios outside Taiwan: one Checkout Session per
// payment attempt (client_reference_id and metadata carry our reference),
// the signed webhook confirms through ReceivePayment. The keys are the
// operator's platform account (DAOYUE_STRIPE_SECRET_KEY and
// DAOYUE_STRIPE_WEBHOOK_SECRET): money is collected there; see
// docs/decisions.md.

// Stripe configures Stripe Checkout; App.Stripe is nil without it.
type Stripe struct {
	Client        *stripe.Client
	WebhookSecret string
}

// NewStripe is the Stripe integration against apiURL (Stripe's, or the
// simulator's) with the given keys.
func NewStripe(secretKey, webhookSecret, apiURL string) *Stripe {
	retries := int64(1)
	b := stripe.NewBackendsWithConfig(&stripe.BackendConfig{URL: stripe.String(strings.TrimRight(apiURL, "/")),
		MaxNetworkRetries: &retries, LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull}})
	return &Stripe{Client: stripe.NewClient(secretKey, stripe.WithBackends(b)), WebhookSecret: webhookSecret}
}

// StripeAmount is amount in the minor unit Stripe expects for its
// currency. DaoYue keeps TWD, JPY and KRW in whole units and other
// currencies in hundredths; Stripe treats TWD as two-decimal (cents), JPY
// and KRW as zero-decimal, and has a few three-decimal currencies DaoYue
// does not take.
func StripeAmount(m daoyue.Money) (int64, string, error) {
	cur := strings.ToLower(m.Currency)
	switch cur {
	case "twd":
		return m.Amount * 100, cur, nil
	case "jpy", "krw":
		return m.Amount, cur, nil
	case "bhd", "jod", "kwd", "omr", "tnd", "bif", "clp", "djf", "gnf", "kmf", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf":
		return 0, cur, fmt.Errorf("stripe: currency %s is not supported", m.Currency)
	}
	if len(cur) != 3 {
		return 0, cur, fmt.Errorf("stripe: bad currency %q", m.Currency)
	}
	return m.Amount, cur, nil
}

// FromStripeAmount is StripeAmount's inverse; ok is false for an amount
// DaoYue cannot hold (TWD cents that are not whole dollars).
func FromStripeAmount(amount int64, currency string) (daoyue.Money, bool) {
	cur := strings.ToUpper(currency)
	if cur == "TWD" {
		if amount%100 != 0 {
			return daoyue.Money{Amount: amount, Currency: "TWD-CENTS"}, false
		}
		return daoyue.Money{Amount: amount / 100, Currency: cur}, true
	}
	return daoyue.Money{Amount: amount, Currency: cur}, true
}

// stripeOffered reports whether the booking is paid online through
// Stripe: the server has Stripe, and the studio does not take the price
// through ECPay (which is TWD only and preferred in Taiwan).
func (a *App) stripeOffered(ctx context.Context, tx daoyue.Tx, b *daoyue.Booking) (bool, error) {
	if a.Stripe == nil {
		return false, nil
	}
	if _, _, err := StripeAmount(b.Price); err != nil {
		return false, nil
	}
	if b.Price.Currency == "TWD" {
		ecpayOK, err := a.ecpayReady(ctx, tx, b.WorkspaceID)
		if err != nil || ecpayOK {
			return false, err
		}
	}
	return true, nil
}

// StripeOffered reports whether the booking behind token pays through
// Stripe (the pay page then redirects to Stripe Checkout).
func (a *App) StripeOffered(ctx context.Context, token string) (bool, error) {
	var ok bool
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		c, err := readClientCase(ctx, tx, token)
		if err != nil {
			return err
		}
		ok, err = a.stripeOffered(ctx, tx, c.full)
		return err
	})
	return ok, err
}

// StripeCheckoutURLs are where Stripe sends the payer back.
type StripeCheckoutURLs struct {
	Success, Cancel string
}

// StartStripeCheckout opens a fresh payment attempt for the booking behind
// token and returns its Checkout Session's URL. The attempt is stored
// first; Stripe is called outside any transaction.
func (a *App) StartStripeCheckout(ctx context.Context, token string, urls StripeCheckoutURLs) (string, error) {
	if a.Stripe == nil {
		return "", daoyue.Errorf(daoyue.ETRANSITION, "error.ecpay_not_enabled")
	}
	var (
		p    *daoyue.Payment
		b    *daoyue.Booking
		name string
	)
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
		c, err := readClientCase(ctx, tx, token)
		if err != nil {
			return err
		}
		b = c.full
		if b.Status != daoyue.StatusAwaitingPayment || b.PaymentStatus != daoyue.PaymentUnpaid || b.PaymentDueAt == nil || !a.now().Before(*b.PaymentDueAt) {
			return daoyue.Errorf(daoyue.ETRANSITION, "error.ecpay_nothing_to_pay")
		}
		if ok, err := a.stripeOffered(ctx, tx, b); err != nil || !ok {
			if err == nil {
				err = daoyue.Errorf(daoyue.ETRANSITION, "error.ecpay_not_enabled")
			}
			return err
		}
		name = itemName(c.Service.Name)
		now := a.now()
		p = &daoyue.Payment{ID: daoyue.NewID("pay"), WorkspaceID: b.WorkspaceID, BookingID: b.ID, Provider: daoyue.ProviderStripe,
			Reference: newTradeNo(now), Amount: b.Price, State: daoyue.PaymentStarted, CreatedAt: now, UpdatedAt: now}
		if err := tx.CreatePayment(ctx, p); err != nil {
			return err
		}
		return a.audit(daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorClient, Label: b.Client.Name}), tx, b.WorkspaceID,
			"payment.checkout_started", "booking", b.ID, map[string]string{"provider": "stripe", "reference": p.Reference})
	})
	if err != nil {
		return "", err
	}
	amount, cur, _ := StripeAmount(b.Price)
	params := &stripe.CheckoutSessionCreateParams{
		Mode:              stripe.String(string(stripe.CheckoutSessionModePayment)),
		ClientReferenceID: stripe.String(p.Reference),
		SuccessURL:        stripe.String(urls.Success),
		CancelURL:         stripe.String(urls.Cancel),
		CustomerEmail:     stripe.String(b.Client.Email),
		Metadata:          map[string]string{"daoyue_reference": p.Reference, "daoyue_booking": b.ID},
		LineItems: []*stripe.CheckoutSessionCreateLineItemParams{{Quantity: stripe.Int64(1),
			PriceData: &stripe.CheckoutSessionCreateLineItemPriceDataParams{Currency: stripe.String(cur), UnitAmount: stripe.Int64(amount),
				ProductData: &stripe.CheckoutSessionCreateLineItemPriceDataProductDataParams{Name: stripe.String(name)}}}},
	}
	// The session ends with the booking's deadline (Stripe allows 30
	// minutes to 24 hours).
	if exp := b.PaymentDueAt.Sub(a.now()); exp >= 31*time.Minute && exp <= 24*time.Hour {
		params.ExpiresAt = stripe.Int64(b.PaymentDueAt.Unix())
	}
	if strings.HasPrefix(b.Language, "zh") {
		params.Locale = stripe.String("zh-TW")
	} else {
		params.Locale = stripe.String("en")
	}
	sess, err := a.Stripe.Client.V1CheckoutSessions.Create(ctx, params)
	if err != nil {
		a.Log.Warn("stripe checkout refused", slog.String("reference", p.Reference), slog.String("error", stripeReason(err)))
		a.closeAttempt(ctx, p, "Stripe: "+stripeReason(err))
		return "", daoyue.Errorf(daoyue.EUNAVAILABLE, "error.stripe_unavailable")
	}
	err = a.Store.Update(ctx, func(tx daoyue.Tx) error {
		q, err := tx.Payment(ctx, p.WorkspaceID, p.ID)
		if err != nil {
			return err
		}
		q.ProviderRef, q.UpdatedAt = sess.ID, a.now()
		return tx.UpdatePayment(ctx, q)
	})
	if err != nil {
		return "", err
	}
	return sess.URL, nil
}

// stripeReason is Stripe's message for a refused call (never a key).
func stripeReason(err error) string {
	var se *stripe.Error
	if errors.As(err, &se) {
		return string(se.Type) + ": " + se.Msg
	}
	return "Stripe did not answer"
}

// ErrStripeRefused is a webhook that is not Stripe's signed word (bad
// signature, unreadable): answered 400.
var ErrStripeRefused = errors.New("stripe webhook refused")

// StripeWebhook handles a webhook delivery: the signature is verified
// (webhook.ConstructEvent with the webhook secret), a paid Checkout
// Session goes to ReceivePayment (idempotent per attempt), an expired or
// failed one closes its attempt. Events of other kinds, or about sessions
// that are not ours, are acknowledged and ignored.
func (a *App) StripeWebhook(ctx context.Context, payload []byte, signature string) error {
	if a.Stripe == nil {
		return errors.Join(ErrStripeRefused, errors.New("stripe not configured"))
	}
	ev, err := webhook.ConstructEvent(payload, signature, a.Stripe.WebhookSecret)
	if err != nil {
		return errors.Join(ErrStripeRefused, err)
	}
	var sess stripe.CheckoutSession
	switch ev.Type {
	case "checkout.session.completed", "checkout.session.async_payment_succeeded",
		"checkout.session.async_payment_failed", "checkout.session.expired":
		if err := sess.UnmarshalJSON(ev.Data.Raw); err != nil {
			return errors.Join(ErrStripeRefused, err)
		}
	default:
		return nil
	}
	ref := sess.ClientReferenceID
	var p *daoyue.Payment
	err = a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		p, err = tx.PaymentByReference(ctx, daoyue.ProviderStripe, ref)
		return err
	})
	if daoyue.IsCode(err, daoyue.ENOTFOUND) || err == nil && p.ProviderRef != "" && p.ProviderRef != sess.ID {
		a.Log.Warn("stripe webhook about a session that is not ours", slog.String("event", ev.ID), slog.String("session", sess.ID))
		return nil
	} else if err != nil {
		return err
	}
	switch {
	case (ev.Type == "checkout.session.completed" || ev.Type == "checkout.session.async_payment_succeeded") &&
		sess.PaymentStatus == stripe.CheckoutSessionPaymentStatusPaid:
		amount, _ := FromStripeAmount(sess.AmountTotal, string(sess.Currency))
		intent := sess.ID
		if sess.PaymentIntent != nil && sess.PaymentIntent.ID != "" {
			intent = sess.PaymentIntent.ID
		}
		_, err := a.ReceivePayment(ctx, Received{Provider: daoyue.ProviderStripe, Reference: ref, Amount: amount,
			Method: "card", ProviderRef: intent, PaidAt: time.Unix(ev.Created, 0)})
		return err
	case ev.Type == "checkout.session.async_payment_failed" || ev.Type == "checkout.session.expired":
		a.closeAttempt(ctx, p, "Stripe: "+strings.TrimPrefix(string(ev.Type), "checkout.session."))
	}
	return nil
}
