package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/daoyue/daoyue"
)

// paymentRow is the stored row of p, in the order of scanPayment.
func paymentRow(p *daoyue.Payment) []column {
	return []column{{"id", p.ID}, {"workspace_id", p.WorkspaceID}, {"booking_id", p.BookingID},
		{"provider", string(p.Provider)}, {"reference", p.Reference}, {"amount", p.Amount.Amount},
		{"currency", p.Amount.Currency}, {"state", string(p.State)}, {"method", p.Method},
		{"provider_ref", p.ProviderRef}, {"bank_code", p.BankCode}, {"account", p.Account}, {"pay_code", p.PayCode},
		{"expires_at", nullUnix(p.ExpiresAt)}, {"payer_ref", p.PayerRef}, {"reported_at", nullUnix(p.ReportedAt)},
		{"paid_at", nullUnix(p.PaidAt)}, {"failure", p.Failure}, {"created_at", unix(p.CreatedAt)},
		{"updated_at", unix(p.UpdatedAt)}}
}

var paymentCols = columnNames(paymentRow(&daoyue.Payment{}), "")

func scanPayment(s scanner) (*daoyue.Payment, error) {
	var p daoyue.Payment
	var created, updated int64
	var expires, reported, paid sql.NullInt64
	err := s.Scan(&p.ID, &p.WorkspaceID, &p.BookingID, &p.Provider, &p.Reference, &p.Amount.Amount, &p.Amount.Currency,
		&p.State, &p.Method, &p.ProviderRef, &p.BankCode, &p.Account, &p.PayCode, &expires, &p.PayerRef, &reported,
		&paid, &p.Failure, &created, &updated)
	if err != nil {
		return nil, err
	}
	p.ExpiresAt, p.ReportedAt, p.PaidAt = fromNullUnix(expires), fromNullUnix(reported), fromNullUnix(paid)
	p.CreatedAt, p.UpdatedAt = fromUnix(created), fromUnix(updated)
	return &p, nil
}

func (t *tx) CreatePayment(ctx context.Context, p *daoyue.Payment) error {
	q, args := insert("payments", paymentRow(p))
	_, err := t.exec(ctx, "create payment", q, args...)
	return err
}

func (t *tx) UpdatePayment(ctx context.Context, p *daoyue.Payment) error {
	var a params
	q := `UPDATE payments SET ` + a.set(except(paymentRow(p), "id", "workspace_id", "booking_id", "provider", "reference", "amount", "currency", "created_at")) +
		` WHERE workspace_id = ` + a.add(p.WorkspaceID) + ` AND id = ` + a.add(p.ID)
	return t.execOne(ctx, "update payment", q, a...)
}

func (t *tx) Payment(ctx context.Context, workspaceID, id string) (*daoyue.Payment, error) {
	p, err := scanPayment(t.tx.QueryRowContext(ctx,
		`SELECT `+paymentCols+` FROM payments WHERE workspace_id = $1 AND id = $2`+t.forChange("payments"), workspaceID, id))
	return p, t.db.wrap("payment", err)
}

func (t *tx) PaymentByReference(ctx context.Context, provider daoyue.PaymentProvider, reference string) (*daoyue.Payment, error) {
	p, err := scanPayment(t.tx.QueryRowContext(ctx,
		`SELECT `+paymentCols+` FROM payments WHERE provider = $1 AND reference = $2`+t.forChange("payments"), string(provider), reference))
	return p, t.db.wrap("payment by reference", err)
}

func (t *tx) BookingPayments(ctx context.Context, workspaceID, bookingID string) ([]*daoyue.Payment, error) {
	return t.payments(ctx, "booking payments", `SELECT `+paymentCols+` FROM payments
		WHERE workspace_id = $1 AND booking_id = $2 ORDER BY created_at, id`, workspaceID, bookingID)
}

func (t *tx) OpenPayments(ctx context.Context, provider daoyue.PaymentProvider, before time.Time, limit int) ([]*daoyue.Payment, error) {
	return t.payments(ctx, "open payments", `SELECT `+paymentCols+` FROM payments
		WHERE provider = $1 AND state IN ($2, $3, $4) AND created_at < $5 ORDER BY created_at, id LIMIT $6`,
		string(provider), string(daoyue.PaymentStarted), string(daoyue.PaymentAwaiting), string(daoyue.PaymentReported),
		unix(before), limit)
}

func (t *tx) payments(ctx context.Context, what, q string, args ...any) ([]*daoyue.Payment, error) {
	rows, err := t.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, t.db.wrap(what, err)
	}
	defer rows.Close()
	var out []*daoyue.Payment
	for rows.Next() {
		p, err := scanPayment(rows)
		if err != nil {
			return nil, t.db.wrap(what, err)
		}
		out = append(out, p)
	}
	return out, t.db.wrap(what, rows.Err())
}
