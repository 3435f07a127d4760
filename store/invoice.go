package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/daoyue/daoyue"
)

// invoiceRow is the stored row of i, in the order of scanInvoice.
func invoiceRow(i *daoyue.Invoice) []column {
	return []column{{"workspace_id", i.WorkspaceID}, {"booking_id", i.BookingID}, {"kind", string(i.Choice.Kind)},
		{"carrier", i.Choice.Carrier}, {"love_code", i.Choice.LoveCode}, {"business_id", i.Choice.BusinessID},
		{"company_name", i.Choice.CompanyName}, {"company_addr", i.Choice.CompanyAddr}, {"state", string(i.State)},
		{"relate_number", i.RelateNumber}, {"amount", i.Amount}, {"number", i.Number}, {"random_number", i.RandomNumber},
		{"issued_at", nullUnix(i.IssuedAt)}, {"attempts", i.Attempts}, {"next_attempt_at", nullUnix(i.NextAttemptAt)},
		{"error", i.Error}, {"error_kind", i.ErrorKind}, {"created_at", unix(i.CreatedAt)}, {"updated_at", unix(i.UpdatedAt)}}
}

var invoiceCols = columnNames(invoiceRow(&daoyue.Invoice{}), "")

func scanInvoice(s scanner) (*daoyue.Invoice, error) {
	var i daoyue.Invoice
	var issued, next sql.NullInt64
	var created, updated int64
	err := s.Scan(&i.WorkspaceID, &i.BookingID, &i.Choice.Kind, &i.Choice.Carrier, &i.Choice.LoveCode, &i.Choice.BusinessID,
		&i.Choice.CompanyName, &i.Choice.CompanyAddr, &i.State, &i.RelateNumber, &i.Amount, &i.Number, &i.RandomNumber,
		&issued, &i.Attempts, &next, &i.Error, &i.ErrorKind, &created, &updated)
	if err != nil {
		return nil, err
	}
	i.IssuedAt, i.NextAttemptAt = fromNullUnix(issued), fromNullUnix(next)
	i.CreatedAt, i.UpdatedAt = fromUnix(created), fromUnix(updated)
	return &i, nil
}

func (t *tx) PutInvoice(ctx context.Context, i *daoyue.Invoice) error {
	if _, err := t.exec(ctx, "put invoice", `DELETE FROM invoices WHERE workspace_id = $1 AND booking_id = $2`, i.WorkspaceID, i.BookingID); err != nil {
		return err
	}
	q, args := insert("invoices", invoiceRow(i))
	_, err := t.exec(ctx, "put invoice", q, args...)
	return err
}

func (t *tx) Invoice(ctx context.Context, workspaceID, bookingID string) (*daoyue.Invoice, error) {
	i, err := scanInvoice(t.tx.QueryRowContext(ctx,
		`SELECT `+invoiceCols+` FROM invoices WHERE workspace_id = $1 AND booking_id = $2`, workspaceID, bookingID))
	return i, t.db.wrap("invoice", err)
}

func (t *tx) DueInvoices(ctx context.Context, now time.Time, limit int) ([]*daoyue.Invoice, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT `+invoiceCols+` FROM invoices
		WHERE state IN ($1, $2) AND (next_attempt_at IS NULL OR next_attempt_at <= $3)
		ORDER BY updated_at, booking_id LIMIT $4`,
		string(daoyue.InvoicePending), string(daoyue.InvoiceVoidPending), unix(now), limit)
	if err != nil {
		return nil, t.db.wrap("due invoices", err)
	}
	defer rows.Close()
	var out []*daoyue.Invoice
	for rows.Next() {
		i, err := scanInvoice(rows)
		if err != nil {
			return nil, t.db.wrap("due invoices", err)
		}
		out = append(out, i)
	}
	return out, t.db.wrap("due invoices", rows.Err())
}
