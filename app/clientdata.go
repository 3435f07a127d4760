package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/notify"
)

// The data rights of the privacy policy: a studio hands a client what it
// holds about them (export) and erases it on request; an owner exports the
// whole studio and deletes it, which hides it at once and purges it, with
// everything of it, StudioPurgeAfter later.

// StudioPurgeAfter is how long a deleted studio waits before its data is
// purged (the privacy policy promises within 30 days).
const StudioPurgeAfter = 7 * 24 * time.Hour

// ClientExport is what a studio holds about one client.
type ClientExport struct {
	Email      string               `json:"email"`
	ExportedAt time.Time            `json:"exported_at"`
	Bookings   []ClientExportItem   `json:"bookings"`
	Emails     []ClientExportedMail `json:"emails"`
}

// ClientExportItem is one booking as the export shows it.
type ClientExportItem struct {
	ID           string            `json:"id"`
	Service      string            `json:"service"`
	Practitioner string            `json:"practitioner"`
	Start        time.Time         `json:"start"`
	End          time.Time         `json:"end"`
	Status       string            `json:"status"`
	Price        daoyue.Money      `json:"price"`
	Client       daoyue.Client     `json:"client"`
	Note         string            `json:"note"`
	Requests     []*daoyue.Request `json:"requests"`
	CreatedAt    time.Time         `json:"created_at"`
}

// ClientExportedMail is one email sent (or kept) for the client.
type ClientExportedMail struct {
	Kind      string     `json:"kind"`
	Subject   string     `json:"subject"`
	Text      string     `json:"text"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
}

func emailDigest(email string) string {
	sum := sha256.Sum256([]byte(email))
	return hex.EncodeToString(sum[:8])
}

// ExportClient returns everything the workspace holds about the client
// with that email (owners, admins and staff; the audit log records that it
// happened, with a digest of the address rather than the address).
func (a *App) ExportClient(ctx context.Context, slug, email string) (*ClientExport, error) {
	email = daoyue.NormalizeEmail(email)
	if !daoyue.ValidEmail(email) {
		return nil, daoyue.FieldErrors{"email": "error.email"}.Err()
	}
	out := &ClientExport{Email: email, ExportedAt: a.now(), Bookings: []ClientExportItem{}, Emails: []ClientExportedMail{}}
	err := a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if err := requireStudioWide(m); err != nil {
			return err
		}
		bs, err := tx.BookingsOfClient(ctx, ws.ID, email)
		if err != nil {
			return err
		}
		if out.Bookings, err = exportItems(ctx, tx, ws.ID, bs); err != nil {
			return err
		}
		msgs, err := tx.OutboxToRecipient(ctx, ws.ID, email)
		if err != nil {
			return err
		}
		for _, msg := range msgs {
			out.Emails = append(out.Emails, ClientExportedMail{Kind: string(msg.Kind), Subject: msg.Subject, Text: notify.MaskManageToken(msg.Text),
				CreatedAt: msg.CreatedAt, SentAt: msg.SentAt})
		}
		return a.audit(ctx, tx, ws.ID, "client.exported", "client", emailDigest(email), map[string]string{"bookings": strconv.Itoa(len(bs))})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EraseClient erases a client's personal data from the workspace (owners
// and admins): their name, email, phone and notes on every booking, the
// words of their requests, and the emails to them. Bookings keep their
// times, services and prices. It returns how many bookings were erased.
func (a *App) EraseClient(ctx context.Context, slug, email string) (int, error) {
	email = daoyue.NormalizeEmail(email)
	if !daoyue.ValidEmail(email) {
		return 0, daoyue.FieldErrors{"email": "error.email"}.Err()
	}
	n := 0
	err := a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if err := requireManager(m); err != nil {
			return err
		}
		// The client's LINE link, codes and LINE messages go too.
		if err := tx.DeleteClientLine(ctx, ws.ID, email); err != nil {
			return err
		}
		bs, err := tx.BookingsOfClient(ctx, ws.ID, email)
		if err != nil {
			return err
		}
		for _, b := range bs {
			b.Client = daoyue.Client{Name: daoyue.ErasedName}
			b.Note, b.CancelReason = "", ""
			if err := tx.UpdateBooking(ctx, b); err != nil {
				return err
			}
			if err := tx.EraseClientActor(ctx, ws.ID, b.ID); err != nil {
				return err
			}
			if err := eraseInvoiceChoice(ctx, tx, ws.ID, b.ID); err != nil {
				return err
			}
			reqs, err := tx.ListRequests(ctx, ws.ID, b.ID)
			if err != nil {
				return err
			}
			for _, r := range reqs {
				r.Reason, r.Message = "", ""
				if err := tx.UpdateRequest(ctx, r); err != nil {
					return err
				}
			}
			// The studio's notices about the booking name the client.
			notices, err := tx.OutboxOfBooking(ctx, ws.ID, b.ID)
			if err != nil {
				return err
			}
			for _, msg := range notices {
				if msg.Kind == daoyue.MailNotice {
					if err := tx.EraseOutboxMessage(ctx, ws.ID, msg.ID); err != nil {
						return err
					}
				}
			}
			n++
		}
		msgs, err := tx.OutboxToRecipient(ctx, ws.ID, email)
		if err != nil {
			return err
		}
		for _, msg := range msgs {
			if err := tx.EraseOutboxMessage(ctx, ws.ID, msg.ID); err != nil {
				return err
			}
		}
		return a.audit(ctx, tx, ws.ID, "client.erased", "client", emailDigest(email), map[string]string{"bookings": strconv.Itoa(n)})
	})
	return n, err
}

// exportItems is bookings as an export shows them: names of their service
// and practitioner, and their requests.
func exportItems(ctx context.Context, tx daoyue.Tx, wsID string, bs []*daoyue.Booking) ([]ClientExportItem, error) {
	svcs, pracs, err := catalogue(ctx, tx, wsID)
	if err != nil {
		return nil, err
	}
	out := []ClientExportItem{}
	for _, b := range bs {
		reqs, err := tx.ListRequests(ctx, wsID, b.ID)
		if err != nil {
			return nil, err
		}
		it := ClientExportItem{ID: b.ID, Start: b.Start, End: b.End, Status: string(b.Status), Price: b.Price,
			Client: b.Client, Note: b.Note, Requests: reqs, CreatedAt: b.CreatedAt}
		if s := svcs[b.ServiceID]; s != nil {
			it.Service = s.Name
		}
		if p := pracs[b.PractitionerID]; p != nil {
			it.Practitioner = p.Name
		}
		out = append(out, it)
	}
	return out, nil
}

// StudioExport is all of a studio's data, for its owner.
type StudioExport struct {
	ExportedAt    time.Time               `json:"exported_at"`
	Workspace     *daoyue.Workspace       `json:"workspace"`
	Members       []*daoyue.Member        `json:"members"`
	Practitioners []*daoyue.Practitioner  `json:"practitioners"`
	Services      []*daoyue.Service       `json:"services"`
	Bookings      []ClientExportItem      `json:"bookings"`
	Audit         []*daoyue.AuditEntry    `json:"audit"`
	Emails        []*daoyue.OutboxMessage `json:"emails"`
}

// ExportStudio returns the whole studio's data (owners only). Private
// meeting details and secrets are left out; email bodies have their links'
// secrets masked.
func (a *App) ExportStudio(ctx context.Context, slug string) (*StudioExport, error) {
	out := &StudioExport{ExportedAt: a.now(), Bookings: []ClientExportItem{}}
	err := a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if m.Role != daoyue.RoleOwner {
			return daoyue.ErrForbidden
		}
		out.Workspace = ws
		var err error
		if out.Members, err = tx.ListMembers(ctx, ws.ID); err != nil {
			return err
		}
		if out.Practitioners, err = tx.ListPractitioners(ctx, ws.ID); err != nil {
			return err
		}
		if out.Services, err = tx.ListServices(ctx, ws.ID); err != nil {
			return err
		}
		bs, err := tx.AllBookings(ctx, ws.ID)
		if err != nil {
			return err
		}
		if out.Bookings, err = exportItems(ctx, tx, ws.ID, bs); err != nil {
			return err
		}
		for cursor := ""; ; {
			page, next, err := tx.ListAudit(ctx, ws.ID, "", cursor, 200)
			if err != nil {
				return err
			}
			out.Audit = append(out.Audit, page...)
			if next == "" {
				break
			}
			cursor = next
		}
		for cursor := ""; ; {
			page, next, err := tx.ListOutbox(ctx, ws.ID, cursor, 200)
			if err != nil {
				return err
			}
			for _, msg := range page {
				msg.Text, msg.HTML = notify.MaskManageToken(msg.Text), notify.MaskManageToken(msg.HTML)
			}
			out.Emails = append(out.Emails, page...)
			if next == "" {
				break
			}
			cursor = next
		}
		return a.audit(ctx, tx, ws.ID, "workspace.exported", "workspace", ws.ID, nil)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteStudio deletes the workspace (owners only; confirm must repeat its
// slug): its Zoom connections are revoked and removed at once, the studio
// disappears for everyone, and its data is purged StudioPurgeAfter later.
func (a *App) DeleteStudio(ctx context.Context, slug, confirm string) error {
	var conns []*daoyue.ZoomConnection
	err := a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		if m.Role != daoyue.RoleOwner {
			return daoyue.ErrForbidden
		}
		if confirm != ws.Slug {
			return daoyue.FieldErrors{"confirm": "error.confirm_slug"}.Err()
		}
		var err error
		if conns, err = tx.ListZoomConnections(ctx, ws.ID); err != nil {
			return err
		}
		for _, c := range conns {
			if err := tx.DeleteZoomConnection(ctx, c.ID); err != nil {
				return err
			}
		}
		if err := tx.MarkWorkspaceDeleted(ctx, ws.ID, a.now()); err != nil {
			return err
		}
		return a.audit(ctx, tx, ws.ID, "workspace.deleted", "workspace", ws.ID, nil)
	})
	if err != nil {
		return err
	}
	for _, c := range conns {
		a.revokeSealed(ctx, c)
	}
	return nil
}

// PurgeDeletedStudios erases the studios deleted more than
// StudioPurgeAfter ago, with everything of theirs (the periodic sweep).
func (a *App) PurgeDeletedStudios(ctx context.Context) (int, error) {
	var ids []string
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		ids, err = tx.WorkspacesDeletedBefore(ctx, a.now().Add(-StudioPurgeAfter))
		return err
	})
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if err := a.Store.Update(ctx, func(tx daoyue.Tx) error { return tx.PurgeWorkspace(ctx, id) }); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}
