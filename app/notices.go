package app

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/i18n"
	"github.com/daoyue/daoyue/notify"
)

// Notices to the studio's people (issue 12). A booking change's notice is
// written by noticeChange, which save calls in the change's transaction,
// like the client's messages: each to the outbox, delivered by the
// outbox's sender. The daily ones (a Zoom connection needing re-authorization,
// a practitioner's agenda) are written by DailyNotices, which the sweep
// runs; a ledger of those sent (ClaimNotice) makes each go once a day.
//
// Who gets a notice: the members whose role gets its kind (Member.NoticeGets:
// owners and admins the studio's, a practitioner member their own
// bookings', staff who opt in the booking ones) and who did not turn it
// off; and, for a practitioner no member is linked to, the email on the
// practitioner's form, which promises to tell them about their bookings.

// AgendaHour is the hour (in the studio's zone) from which a
// practitioner's agenda of the day is sent.
const AgendaHour = 7

// noticeLanguage is the language of notices: the studio's people read the
// studio's language, Traditional Chinese.
const noticeLanguage = daoyue.LangZH

// noticeChange writes the notice a change of b (prev: before it, nil for a
// new booking) owes the studio, if any; action is the change's audit
// action. A meeting that failed with this change is one too.
func (a *App) noticeChange(ctx context.Context, tx daoyue.Tx, prev, b *daoyue.Booking, action string) error {
	if kind := daoyue.NoticeFor(action, b); kind != "" {
		in := notify.NoticeInput{Kind: kind, Booking: b, Action: action}
		if kind == daoyue.NoticeRequest {
			rs, err := tx.ListRequests(ctx, b.WorkspaceID, b.ID)
			if err != nil {
				return err
			}
			for _, r := range rs {
				if r.Status == daoyue.RequestOpen {
					in.Request = r
				}
			}
		}
		if err := a.bookingNotice(ctx, tx, in); err != nil {
			return err
		}
	}
	if b.Meeting.Status == daoyue.MeetingFailed && (prev == nil || prev.Meeting.Status != daoyue.MeetingFailed) {
		return a.meetingFailedNotice(ctx, tx, b)
	}
	return nil
}

// meetingFailedNotice tells the studio, once per version of the meeting,
// that it could not be made or moved, and how to fix it.
func (a *App) meetingFailedNotice(ctx context.Context, tx daoyue.Tx, b *daoyue.Booking) error {
	first, err := tx.ClaimNotice(ctx, b.WorkspaceID, "meeting_failed:"+b.ID+":"+strconv.FormatInt(b.Meeting.Version, 10), a.now())
	if err != nil || !first {
		return err
	}
	return a.bookingNotice(ctx, tx, notify.NoticeInput{Kind: daoyue.NoticeMeetingFailed, Booking: b, Reason: b.Meeting.Reason})
}

// bookingNotice fills in the booking's studio, service and practitioner
// and writes the notice to everyone who gets it.
func (a *App) bookingNotice(ctx context.Context, tx daoyue.Tx, in notify.NoticeInput) error {
	b := in.Booking
	var err error
	if in.Workspace, err = tx.WorkspaceByID(ctx, b.WorkspaceID); err != nil {
		return err
	}
	if in.Service, err = tx.Service(ctx, b.WorkspaceID, b.ServiceID); err != nil {
		return err
	}
	if in.Practitioner, err = tx.Practitioner(ctx, b.WorkspaceID, b.PractitionerID); err != nil {
		return err
	}
	return a.sendNotice(ctx, tx, in, b.PractitionerID)
}

// noticeRecipients are the addresses that get a notice of kind about
// practitioner pid ("" for none), without repeats.
func noticeRecipients(ctx context.Context, tx daoyue.Tx, wsID string, kind daoyue.NoticeKind, pid string) ([]string, error) {
	members, err := tx.ListMembers(ctx, wsID)
	if err != nil {
		return nil, err
	}
	prefs, err := tx.NoticePrefs(ctx, wsID)
	if err != nil {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	add := func(email string) {
		k := strings.ToLower(strings.TrimSpace(email))
		if k != "" && !seen[k] {
			seen[k] = true
			out = append(out, email)
		}
	}
	linked := false
	for _, m := range members {
		if pid != "" && m.Role == daoyue.RolePractitioner && m.PractitionerID == pid {
			linked = true
		}
		if !m.NoticeGets(kind, pid) {
			continue
		}
		on := m.NoticeDefault(kind)
		if v, ok := prefs[m.UserID][kind]; ok {
			on = v
		}
		if on {
			add(m.Email)
		}
	}
	if pid != "" && !linked {
		p, err := tx.Practitioner(ctx, wsID, pid)
		if err != nil && !daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return nil, err
		}
		if p != nil && p.Email != "" {
			add(p.Email)
		}
	}
	return out, nil
}

// sendNotice composes in and writes it to the outbox for each recipient
// (with a sender, queued for delivery), all in tx.
func (a *App) sendNotice(ctx context.Context, tx daoyue.Tx, in notify.NoticeInput, pid string) error {
	to, err := noticeRecipients(ctx, tx, in.Workspace.ID, in.Kind, pid)
	if err != nil || len(to) == 0 {
		return err
	}
	in.Language, in.BaseURL = noticeLanguage, a.Mail.BaseURL
	msg := notify.ComposeNotice(in)
	bookingID := "" // a booking's notice is erased with its client's data (EraseClient)
	if in.Booking != nil {
		bookingID = in.Booking.ID
	}
	for _, r := range to {
		out := &daoyue.OutboxMessage{ID: daoyue.NewID("ml"), WorkspaceID: in.Workspace.ID, BookingID: bookingID, Kind: daoyue.MailNotice,
			Language: msg.Language, FromName: in.Workspace.Name, Recipient: r, Subject: msg.Subject, Text: msg.Text,
			HTML: msg.HTML, Status: daoyue.MailKept, CreatedAt: a.now()}
		if a.Sending() {
			out.Status = daoyue.MailQueued
		}
		if err := tx.AddOutbox(ctx, out); err != nil {
			return err
		}
	}
	return nil
}

// DailyNotices writes the notices that go once a day: each Zoom
// connection that needs re-authorizing (every day until it is fixed), and
// from AgendaHour in the studio's zone each practitioner's agenda of the
// day. It returns how many it wrote; running it again the same day writes
// none.
func (a *App) DailyNotices(ctx context.Context) (int, error) {
	n := 0
	var ids []string // the connections that need re-authorizing
	if err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		all, err := tx.AllZoomConnectionIDs(ctx)
		if err != nil {
			return err
		}
		for _, id := range all {
			c, err := tx.ZoomConnectionByID(ctx, id)
			if daoyue.IsCode(err, daoyue.ENOTFOUND) {
				continue
			} else if err != nil {
				return err
			}
			if c.Status == daoyue.ConnNeedsReauth {
				ids = append(ids, id)
			}
		}
		return nil
	}); err != nil {
		return 0, err
	}
	for _, id := range ids {
		err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
			c, err := tx.ZoomConnectionByID(ctx, id)
			if err != nil || c.Status != daoyue.ConnNeedsReauth {
				return err
			}
			ws, err := tx.WorkspaceByID(ctx, c.WorkspaceID)
			if err != nil {
				return err
			}
			day := a.now().In(ws.Location()).Format(time.DateOnly)
			if first, err := tx.ClaimNotice(ctx, ws.ID, "zoom_reauth:"+c.ID+":"+day, a.now()); err != nil || !first {
				return err
			}
			p, err := tx.Practitioner(ctx, ws.ID, c.PractitionerID)
			if err != nil {
				return err
			}
			n++
			return a.sendNotice(ctx, tx, notify.NoticeInput{Kind: daoyue.NoticeZoomReauth, Workspace: ws, Practitioner: p}, p.ID)
		})
		if err != nil && !daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return n, err
		}
	}
	m, err := a.agendas(ctx)
	return n + m, err
}

// agendas writes each practitioner's agenda of the day, once, from
// AgendaHour in their studio's zone; a practitioner with no confirmed
// booking that day gets none.
func (a *App) agendas(ctx context.Context) (int, error) {
	now := a.now()
	var bs []*daoyue.Booking
	if err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		// Every zone's today lies within this span.
		bs, err = tx.ConfirmedStarting(ctx, now.Add(-15*time.Hour), now.Add(39*time.Hour), 5000)
		return err
	}); err != nil {
		return 0, err
	}
	type key struct{ ws, pid string }
	groups := map[key][]*daoyue.Booking{}
	var order []key
	for _, b := range bs {
		k := key{b.WorkspaceID, b.PractitionerID}
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], b)
	}
	n := 0
	for _, k := range order {
		err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
			ws, err := tx.WorkspaceByID(ctx, k.ws)
			if err != nil {
				return err
			}
			local := now.In(ws.Location())
			if local.Hour() < AgendaHour {
				return nil
			}
			day := local.Format(time.DateOnly)
			var today []*daoyue.Booking
			for _, b := range groups[k] {
				if b.Start.In(ws.Location()).Format(time.DateOnly) == day {
					today = append(today, b)
				}
			}
			if len(today) == 0 {
				return nil
			}
			if first, err := tx.ClaimNotice(ctx, ws.ID, "agenda:"+k.pid+":"+day, now); err != nil || !first {
				return err
			}
			p, err := tx.Practitioner(ctx, ws.ID, k.pid)
			if err != nil {
				return err
			}
			svcs, _, err := catalogue(ctx, tx, ws.ID)
			if err != nil {
				return err
			}
			n++
			return a.sendNotice(ctx, tx, notify.NoticeInput{Kind: daoyue.NoticeAgenda, Workspace: ws, Practitioner: p,
				Agenda: today, Services: svcs, Day: i18n.FormatDate(noticeLanguage, local)}, p.ID)
		})
		if err != nil && !daoyue.IsCode(err, daoyue.ENOTFOUND) {
			return n, err
		}
	}
	return n, nil
}

// NoticeChoice is whether a member gets one kind of notice.
type NoticeChoice struct {
	Kind daoyue.NoticeKind
	On   bool
}

// NoticeChoices are a member's choices of notices in one studio: the
// kinds their role may get, each on or off.
type NoticeChoices struct {
	Workspace *daoyue.Workspace
	Member    *daoyue.Member
	Kinds     []NoticeChoice
}

func noticeChoices(ctx context.Context, tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) (*NoticeChoices, error) {
	prefs, err := tx.NoticePrefs(ctx, ws.ID)
	if err != nil {
		return nil, err
	}
	c := &NoticeChoices{Workspace: ws, Member: m}
	for _, k := range daoyue.NoticeKinds {
		if !m.NoticeGets(k, m.PractitionerID) {
			continue
		}
		on := m.NoticeDefault(k)
		if v, ok := prefs[m.UserID][k]; ok {
			on = v
		}
		c.Kinds = append(c.Kinds, NoticeChoice{Kind: k, On: on})
	}
	return c, nil
}

// MyNotices returns the signed-in member's choices of notices in each of
// their studios.
func (a *App) MyNotices(ctx context.Context) ([]*NoticeChoices, error) {
	user := daoyue.ActorFrom(ctx).UserID
	if user == "" {
		return nil, daoyue.ErrUnauthorized
	}
	var out []*NoticeChoices
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		wss, err := tx.WorkspacesOf(ctx, user)
		if err != nil {
			return err
		}
		for _, ws := range wss {
			m, err := tx.Member(ctx, ws.ID, user)
			if err != nil {
				return err
			}
			c, err := noticeChoices(ctx, tx, ws, m)
			if err != nil {
				return err
			}
			if len(c.Kinds) > 0 {
				out = append(out, c)
			}
		}
		return nil
	})
	return out, err
}

// SetMyNotices stores the signed-in member's choices in one studio: the
// kinds in on are on, the others their role may get off.
func (a *App) SetMyNotices(ctx context.Context, slug string, on []daoyue.NoticeKind) error {
	return a.memberUpdate(ctx, slug, func(tx daoyue.Tx, ws *daoyue.Workspace, m *daoyue.Member) error {
		prefs := map[daoyue.NoticeKind]bool{}
		for _, k := range daoyue.NoticeKinds {
			if m.NoticeGets(k, m.PractitionerID) {
				prefs[k] = false
			}
		}
		for _, k := range on {
			if _, ok := prefs[k]; ok {
				prefs[k] = true
			}
		}
		return tx.SetNoticePrefs(ctx, ws.ID, m.UserID, prefs)
	})
}
