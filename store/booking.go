package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
)

// bookingRow is the stored row of b: its columns in the order of
// scanBooking, with their values.
func bookingRow(b *daoyue.Booking) []column {
	cols := []column{
		{"id", b.ID}, {"workspace_id", b.WorkspaceID}, {"service_id", b.ServiceID},
		{"practitioner_id", b.PractitionerID}, {"host_id", b.HostID}, {"start_at", unix(b.Start)}, {"end_at", unix(b.End)},
		{"buffer_before", b.BufferBefore}, {"buffer_after", b.BufferAfter}, {"online", b.Online},
		{"status", string(b.Status)}, {"client_name", b.Client.Name}, {"client_email", b.Client.Email},
		{"client_phone", b.Client.Phone}, {"note", b.Note}, {"language", b.Language},
		{"manage_token_hash", nullString(b.ManageTokenHash)}, {"price_amount", b.Price.Amount},
		{"price_currency", b.Price.Currency}, {"payment_status", string(b.PaymentStatus)},
		{"payment_method", b.PaymentMethod}, {"payment_note", b.PaymentNote}, {"paid_at", nullUnix(b.PaidAt)},
		{"payment_due_at", nullUnix(b.PaymentDueAt)}, {"refund_owed", b.RefundOwed}, {"refunded", b.Refunded},
		{"cancel_reason", b.CancelReason},
		{"created_at", unix(b.CreatedAt)}, {"updated_at", unix(b.UpdatedAt)},
	}
	cols = append(cols, meetingRow(&b.Meeting)...)
	// For client notifications: the sealed manage token (written once, at
	// creation), the message held for the meeting sync and the next
	// calendar SEQUENCE.
	return append(cols, column{"manage_token_sealed", b.ManageTokenSealed},
		column{"mail_waiting", string(b.MailWaiting)}, column{"calendar_seq", b.CalendarSeq})
}

// meetingRow is the stored form of daoyue.Meeting, in the order of scanBooking.
func meetingRow(m *daoyue.Meeting) []column {
	return []column{
		{"meeting_status", string(m.Status)}, {"meeting_note", string(m.Reason)}, {"meeting_zoom_id", m.ZoomID},
		{"meeting_join_url", m.JoinURL}, {"meeting_passcode", m.Passcode}, {"meeting_connection_id", m.ConnectionID},
		{"meeting_zoom_user_id", m.ZoomUserID}, {"meeting_start", nullUnix(m.Start)},
		{"meeting_duration_min", m.DurationMin}, {"meeting_recreated", m.Recreated}, {"meeting_version", m.Version},
		{"meeting_synced_version", m.SyncedVersion}, {"meeting_attempts", m.Attempts},
		{"meeting_last_error", m.LastError}, {"meeting_updated_at", nullUnix(m.UpdatedAt)},
	}
}

// bookingFixed are the columns UpdateBooking leaves alone.
var bookingFixed = []string{"id", "workspace_id", "service_id", "manage_token_hash", "manage_token_sealed", "created_at"}

var (
	bookingCols   = columnNames(bookingRow(&daoyue.Booking{}), "b.")
	bookingSelect = `SELECT ` + bookingCols + ` FROM bookings b `
)

func scanBooking(s scanner) (*daoyue.Booking, error) {
	var b daoyue.Booking
	dest, done := bookingDest(&b)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	done()
	return &b, nil
}

// bookingDest is what to scan bookingCols into, and what fills in b from
// it after the scan.
func bookingDest(b *daoyue.Booking) ([]any, func()) {
	var start, end, created, updated int64
	var token sql.NullString
	var paid, due, mStart, mUpdated sql.NullInt64
	m := &b.Meeting
	dest := []any{&b.ID, &b.WorkspaceID, &b.ServiceID, &b.PractitionerID, &b.HostID, &start, &end,
		&b.BufferBefore, &b.BufferAfter, &b.Online, &b.Status, &b.Client.Name, &b.Client.Email, &b.Client.Phone, &b.Note,
		&b.Language, &token, &b.Price.Amount, &b.Price.Currency, &b.PaymentStatus, &b.PaymentMethod,
		&b.PaymentNote, &paid, &due, &b.RefundOwed, &b.Refunded, &b.CancelReason, &created, &updated,
		&m.Status, &m.Reason, &m.ZoomID, &m.JoinURL, &m.Passcode,
		&m.ConnectionID, &m.ZoomUserID, &mStart, &m.DurationMin, &m.Recreated,
		&m.Version, &m.SyncedVersion, &m.Attempts, &m.LastError, &mUpdated,
		&b.ManageTokenSealed, &b.MailWaiting, &b.CalendarSeq}
	return dest, func() {
		b.Start, b.End, b.CreatedAt, b.UpdatedAt = fromUnix(start), fromUnix(end), fromUnix(created), fromUnix(updated)
		b.ManageTokenHash = token.String
		b.PaidAt, b.PaymentDueAt = fromNullUnix(paid), fromNullUnix(due)
		m.Start, m.UpdatedAt = fromNullUnix(mStart), fromNullUnix(mUpdated)
	}
}

// CreateBooking stores b, its meeting state included; a service or
// practitioner not in the workspace is ENOTFOUND, a manage token hash
// already used is ECONFLICT. The meeting's fields are stored as given (a
// zero Meeting has Status "", not "none": the column default only fills
// rows that existed before the column).
func (t *tx) CreateBooking(ctx context.Context, b *daoyue.Booking) error {
	q, args := insert("bookings", bookingRow(b))
	_, err := t.exec(ctx, "create booking", q, args...)
	return err
}

// UpdateBooking writes every mutable field of b, all of its meeting state
// included (not its id, workspace, service, manage token, sealed or hashed,
// or creation time).
func (t *tx) UpdateBooking(ctx context.Context, b *daoyue.Booking) error {
	var a params
	q := `UPDATE bookings SET ` + a.set(except(bookingRow(b), bookingFixed...)) +
		` WHERE workspace_id = ` + a.add(b.WorkspaceID) + ` AND id = ` + a.add(b.ID)
	return t.execOne(ctx, "update booking", q, a...)
}

func (t *tx) Booking(ctx context.Context, workspaceID, id string) (*daoyue.Booking, error) {
	b, err := scanBooking(t.tx.QueryRowContext(ctx, bookingSelect+`WHERE b.workspace_id = $1 AND b.id = $2`+t.forChange("b"), workspaceID, id))
	return b, t.db.wrap("booking", err)
}

// BookingInWorkspace is Booking with its workspace, in one statement.
func (t *tx) BookingInWorkspace(ctx context.Context, workspaceID, id string) (*daoyue.Booking, *daoyue.Workspace, error) {
	var b daoyue.Booking
	var w daoyue.Workspace
	bd, bdone := bookingDest(&b)
	wd, wdone := workspaceDest(&w)
	err := t.tx.QueryRowContext(ctx, `SELECT `+bookingCols+`, `+workspaceColsOf("w.")+` FROM bookings b
		JOIN workspaces w ON w.id = b.workspace_id WHERE b.workspace_id = $1 AND b.id = $2`+t.forChange("b"), workspaceID, id).Scan(append(bd, wd...)...)
	if err != nil {
		return nil, nil, t.db.wrap("booking in workspace", err)
	}
	bdone()
	wdone()
	return &b, &w, nil
}

// BookingByManageToken finds a booking of any workspace by the hash of its
// manage link secret.
func (t *tx) BookingByManageToken(ctx context.Context, tokenHash string) (*daoyue.Booking, error) {
	if tokenHash == "" {
		return nil, daoyue.ErrNotFound
	}
	b, err := scanBooking(t.tx.QueryRowContext(ctx, bookingSelect+`WHERE b.manage_token_hash = $1`+t.forChange("b"), tokenHash))
	return b, t.db.wrap("booking by manage token", err)
}

// tabCond is the SQL condition of a tab, over the statuses of
// Tab.Statuses; now adds the current time as a parameter and returns its
// placeholder (only tabs that need it call it, as PostgreSQL refuses a
// parameter it cannot type). An unknown tab is "".
func tabCond(tab daoyue.Tab, now func() string) string {
	status := inSet("b.status", tab.Statuses())
	switch tab {
	case daoyue.TabPending:
		return `(` + status + ` OR EXISTS (SELECT 1 FROM requests r WHERE r.booking_id = b.id AND r.status = ` +
			literal(daoyue.RequestOpen) + `) OR b.payment_status = ` + literal(daoyue.PaymentReportedByClient) + ` OR b.refund_owed > 0)`
	case daoyue.TabUpcoming:
		return `(` + status + ` AND b.end_at > ` + now() + `)`
	case daoyue.TabPast:
		return `(` + status + ` AND b.end_at <= ` + now() + `)`
	case daoyue.TabCancelled:
		return `(` + status + `)`
	}
	return ""
}

// tabAscending reports whether a tab lists the soonest first.
func tabAscending(tab daoyue.Tab) bool { return tab == daoyue.TabPending || tab == daoyue.TabUpcoming }

// A booking cursor is the start and id of the last booking of a page.
func encodeBookingCursor(b *daoyue.Booking) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(unix(b.Start), 10) + ":" + b.ID))
}

func decodeBookingCursor(c string) (int64, string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err == nil {
		start, id, ok := strings.Cut(string(raw), ":")
		if n, perr := strconv.ParseInt(start, 10, 64); ok && perr == nil && id != "" {
			return n, id, nil
		}
	}
	return 0, "", errInvalid("error.cursor", err)
}

// ListBookings returns one page of a tab: pending and upcoming by start
// ascending, past and cancelled by start descending, ties by id. Tab ""
// lists every booking, newest start first.
func (t *tx) ListBookings(ctx context.Context, workspaceID string, f daoyue.BookingFilter) ([]*daoyue.Booking, string, error) {
	now := f.Now
	if now.IsZero() {
		now = time.Now()
	}
	var a params
	where := []string{`b.workspace_id = ` + a.add(workspaceID)}
	if f.Tab != "" {
		cond := tabCond(f.Tab, func() string { return a.add(unix(now)) })
		if cond == "" {
			return nil, "", errInvalid("error.tab", nil)
		}
		where = append(where, cond)
	}
	if f.PractitionerID != "" {
		where = append(where, `b.practitioner_id = `+a.add(f.PractitionerID))
	}
	asc := tabAscending(f.Tab)
	cmp, order := "<", "DESC"
	if asc {
		cmp, order = ">", "ASC"
	}
	if f.Cursor != "" {
		start, id, err := decodeBookingCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		s, i := a.add(start), a.add(id)
		where = append(where, `(b.start_at `+cmp+` `+s+` OR (b.start_at = `+s+` AND b.id `+cmp+` `+i+`))`)
	}
	limit := pageLimit(f.Limit)
	rows, err := t.query(ctx, "list bookings", bookingSelect+`WHERE `+strings.Join(where, " AND ")+
		` ORDER BY b.start_at `+order+`, b.id `+order+` LIMIT `+a.add(limit+1), a...)
	if err != nil {
		return nil, "", err
	}
	list, err := collect(t, "list bookings", rows, scanBooking)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(list) > limit {
		list = list[:limit]
		next = encodeBookingCursor(list[limit-1])
	}
	return list, next, nil
}

// CountBookingsAhead counts the bookings that are not final and have not
// ended: each once, whatever tabs it shows in.
func (t *tx) CountBookingsAhead(ctx context.Context, workspaceID string, now time.Time) (int, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM bookings b WHERE b.workspace_id = $1 AND b.end_at > $2 AND NOT (`+
		inSet("b.status", daoyue.FinalStatuses())+`)`, workspaceID, unix(now)).Scan(&n)
	return n, t.db.wrap("count bookings ahead", err)
}

// CountBookings counts the bookings of each tab.
func (t *tx) CountBookings(ctx context.Context, workspaceID, practitionerID string, now time.Time) (map[daoyue.Tab]int, error) {
	var a params
	ws, n := a.add(workspaceID), a.add(unix(now))
	where := `b.workspace_id = ` + ws
	if practitionerID != "" {
		where += ` AND b.practitioner_id = ` + a.add(practitionerID)
	}
	nowParam := func() string { return n }
	var sums []string
	for _, tab := range daoyue.Tabs {
		sums = append(sums, `COALESCE(SUM(CASE WHEN `+tabCond(tab, nowParam)+` THEN 1 ELSE 0 END), 0)`)
	}
	counts := make([]int64, len(daoyue.Tabs))
	dest := make([]any, len(counts))
	for i := range counts {
		dest[i] = &counts[i]
	}
	err := t.tx.QueryRowContext(ctx, `SELECT `+strings.Join(sums, ", ")+` FROM bookings b WHERE `+where, a...).Scan(dest...)
	if err != nil {
		return nil, t.db.wrap("count bookings", err)
	}
	out := map[daoyue.Tab]int{}
	for i, tab := range daoyue.Tabs {
		out[tab] = int(counts[i])
	}
	return out, nil
}

// DueForExpiry lists awaiting-payment bookings of any workspace whose
// payment deadline is before now, the most overdue first.
func (t *tx) DueForExpiry(ctx context.Context, now time.Time, limit int) ([]*daoyue.Booking, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := t.query(ctx, "due for expiry", bookingSelect+
		`WHERE b.status = `+literal(daoyue.StatusAwaitingPayment)+` AND b.payment_due_at < $1
		 ORDER BY b.payment_due_at, b.id LIMIT $2`,
		unix(now), limit)
	if err != nil {
		return nil, err
	}
	return collect(t, "due for expiry", rows, scanBooking)
}

// DeleteBooking removes a booking with its reservations and requests (the
// review sandbox's reset). Audit entries stay: they are the history.
func (t *tx) DeleteBooking(ctx context.Context, workspaceID, id string) error {
	return t.execOne(ctx, "delete booking", `DELETE FROM bookings WHERE workspace_id = $1 AND id = $2`, workspaceID, id)
}
