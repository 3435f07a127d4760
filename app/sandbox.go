package app

import (
	"context"
	"fmt"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/zoom"
)

// ReviewSlug is the workspace Zoom Marketplace reviewers use.
const ReviewSlug = "zoom-review"

// ReviewService is the name the reviewer flow tells reviewers to book.
const ReviewService = "Zoom Review Online Session"

// SandboxResult says what a reset did. Password is set only when a new
// reviewer password was generated (it is shown once).
type SandboxResult struct {
	Workspace      *daoyue.Workspace
	ReviewerEmail  string
	Password       string
	Created        bool
	BookingsRemove int
	MeetingsKept   int // bookings kept because Zoom could not delete their meeting yet
}

// ResetReviewSandbox creates or resets the zoom-review workspace
// (PRODUCT.md, "Review sandbox"): a reviewer member, a review practitioner
// who gets Zoom as default as soon as Zoom is authorized, and the service
// "Zoom Review Online Session" (online, auto-confirmed, no payment, bookable
// at any hour of every day). Every booking is cancelled and its meeting
// deleted through the normal sync, then the bookings are removed, so both
// the pending and upcoming queues are empty. The review practitioner's Zoom
// is disconnected so the reviewer flow starts from 連結 Zoom again. It is
// idempotent. password "" keeps an existing reviewer's password or
// generates one for a new reviewer.
func (a *App) ResetReviewSandbox(ctx context.Context, email, password string) (*SandboxResult, error) {
	ctx = daoyue.WithActor(ctx, daoyue.Actor{Kind: daoyue.ActorSystem, Label: "sandbox-reset"})
	res := &SandboxResult{ReviewerEmail: daoyue.NormalizeEmail(email)}
	var ws *daoyue.Workspace
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		var err error
		ws, err = tx.WorkspaceBySlug(ctx, ReviewSlug)
		return err
	})
	if daoyue.IsCode(err, daoyue.ENOTFOUND) {
		ws = &daoyue.Workspace{Slug: ReviewSlug, Name: "DaoYue Zoom Review 審查沙盒", TimeZone: daoyue.DefaultTimeZone,
			Intro: "此工作室僅供 Zoom Marketplace 審查使用,內容皆為測試資料。\n" + daoyue.EnglishMarker + "\nThis production sandbox is for Zoom Marketplace review only. It contains test data."}
		if err := a.CreateWorkspace(ctx, ws); err != nil {
			return nil, err
		}
		res.Created = true
	} else if err != nil {
		return nil, err
	}
	res.Workspace = ws

	// The reviewer member.
	var exists bool
	_ = a.Store.View(ctx, func(tx daoyue.Tx) error {
		u, err := tx.UserByEmail(ctx, res.ReviewerEmail)
		if err == nil {
			_, err = tx.Member(ctx, ws.ID, u.ID)
			exists = err == nil
		}
		return nil
	})
	if password == "" && !exists {
		password = daoyue.NewToken()[:20]
		res.Password = password
	}
	if _, err := a.EnsureMember(ctx, ReviewSlug, res.ReviewerEmail, "Zoom Reviewer", password, daoyue.RoleAdmin); err != nil {
		return nil, fmt.Errorf("reviewer member: %w", err)
	}

	p, err := a.sandboxSetup(ctx, ws)
	if err != nil {
		return nil, err
	}
	if err := a.sandboxEmpty(ctx, ws, res); err != nil {
		return nil, err
	}
	// Start the flow from 連結 Zoom again: revoke and delete the tokens.
	var conn *daoyue.ZoomConnection
	_ = a.Store.View(ctx, func(tx daoyue.Tx) error {
		conn, _ = tx.ZoomConnection(ctx, ws.ID, p.ID)
		return nil
	})
	if conn != nil && res.MeetingsKept == 0 {
		if a.Zoom != nil {
			a.revokeSealed(ctx, conn)
		}
		if err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
			if err := tx.DeleteZoomConnection(ctx, conn.ID); err != nil {
				return err
			}
			return a.audit(ctx, tx, ws.ID, "zoom.disconnected", "practitioner", p.ID, map[string]string{"reason": "sandbox_reset"})
		}); err != nil {
			return nil, err
		}
	}
	return res, a.Store.Update(ctx, func(tx daoyue.Tx) error {
		return a.audit(ctx, tx, ws.ID, "sandbox.reset", "workspace", ws.ID, map[string]string{"bookings_removed": fmt.Sprint(res.BookingsRemove)})
	})
}

// sandboxSetup makes the review practitioner and service exist as specified.
func (a *App) sandboxSetup(ctx context.Context, ws *daoyue.Workspace) (*daoyue.Practitioner, error) {
	allDay := make([]daoyue.WeeklyRule, 0, 7)
	for d := time.Sunday; d <= time.Saturday; d++ {
		allDay = append(allDay, daoyue.WeeklyRule{Weekday: d, Start: 0, End: 24 * 60})
	}
	var p *daoyue.Practitioner
	var svc *daoyue.Service
	err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
		pracs, err := tx.ListPractitioners(ctx, ws.ID)
		if err != nil {
			return err
		}
		for _, x := range pracs {
			if x.DefaultOnConnect {
				p = x
			}
		}
		newPrac := p == nil
		if newPrac {
			p = &daoyue.Practitioner{ID: daoyue.NewID("pr"), WorkspaceID: ws.ID, CreatedAt: a.now()}
		}
		p.Name, p.Email, p.Bio = "Zoom Review Practitioner 審查老師", "", "The practitioner Zoom Marketplace reviewers connect Zoom for."
		p.Active, p.DefaultOnConnect, p.Weekly = true, true, allDay
		if err := p.Validate(); err != nil {
			return err
		}
		if newPrac {
			err = tx.CreatePractitioner(ctx, p)
		} else {
			err = tx.UpdatePractitioner(ctx, p)
		}
		if err != nil {
			return err
		}
		svcs, err := tx.ListServices(ctx, ws.ID)
		if err != nil {
			return err
		}
		for _, x := range svcs {
			if x.Name == ReviewService {
				svc = x
			}
		}
		create := svc == nil
		if create {
			svc = &daoyue.Service{ID: daoyue.NewID("sv"), WorkspaceID: ws.ID, CreatedAt: a.now()}
		}
		svc.Name = ReviewService
		// Client-facing words, in the page's and the email's language
		// (daoyue.EnglishMarker separates the two).
		svc.Description = "30 分鐘的 Zoom 線上課程。送出預約即成立,不需付款;Zoom 會議連結會寄到您的 email。\n" + daoyue.EnglishMarker +
			"\nA 30-minute online session on Zoom. Your booking is confirmed as soon as you submit it, with no payment; the Zoom link is emailed to you."
		svc.DurationMin, svc.SlotStep, svc.BufferBefore, svc.BufferAfter = 30, 30, 0, 0
		svc.MinNoticeMin, svc.HorizonDays, svc.Online = 0, 60, true
		svc.OnlineInstructions = "這堂課在 Zoom 上進行。預約成立後,確認信會附上 Zoom 會議連結與密碼;請在開始前幾分鐘點連結加入。\n" + daoyue.EnglishMarker +
			"\nThis session takes place on Zoom. Your confirmation email carries the Zoom link and passcode; open the link a few minutes before the start to join."
		svc.Price = daoyue.Money{Amount: 0, Currency: "TWD"}
		svc.Confirmation, svc.Payment, svc.MeetingHost = daoyue.ConfirmAuto, daoyue.PaymentNone, daoyue.HostAssigned
		svc.DesignatedHostID, svc.PractitionerIDs, svc.Active = "", []string{p.ID}, true
		if err := svc.Validate(); err != nil {
			return err
		}
		if create {
			return tx.CreateService(ctx, svc)
		}
		return tx.UpdateService(ctx, svc)
	})
	return p, err
}

// sandboxEmpty cancels every booking, deletes its meeting through the
// normal sync (run here, synchronously) and removes the bookings whose
// meeting is gone. A booking whose meeting Zoom could not delete yet is
// kept, cancelled, so no meeting is orphaned; the next reset retries.
func (a *App) sandboxEmpty(ctx context.Context, ws *daoyue.Workspace, res *SandboxResult) error {
	var all []*daoyue.Booking
	err := a.Store.View(ctx, func(tx daoyue.Tx) error {
		cursor := ""
		for {
			page, next, err := tx.ListBookings(ctx, ws.ID, daoyue.BookingFilter{Cursor: cursor, Limit: 200, Now: a.now()})
			if err != nil {
				return err
			}
			all = append(all, page...)
			if next == "" {
				return nil
			}
			cursor = next
		}
	})
	if err != nil {
		return err
	}
	for _, b := range all {
		err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
			cur, err := tx.Booking(ctx, ws.ID, b.ID)
			if err != nil {
				return err
			}
			if !cur.Status.Final() {
				cur.Status, cur.CancelReason, cur.UpdatedAt = daoyue.StatusCancelled, "sandbox reset", a.now()
				if err := a.end(ctx, tx, cur); err != nil {
					return err
				}
			}
			if cur.Meeting.Has() {
				// Past sessions keep their meetings in the lifecycle; the
				// sandbox wants them gone all the same.
				cur.Meeting.Version++
				cur.Meeting.Set(daoyue.MeetingPending, daoyue.ReasonSyncing)
			}
			return tx.UpdateBooking(ctx, cur)
		})
		if err != nil {
			return err
		}
	}
	for _, b := range all {
		var cur *daoyue.Booking
		if err := a.Store.View(ctx, func(tx daoyue.Tx) error {
			var err error
			cur, err = tx.Booking(ctx, ws.ID, b.ID)
			return err
		}); err != nil {
			return err
		}
		if cur.Meeting.Has() {
			if err := a.deleteSandboxMeeting(ctx, cur); err != nil {
				a.Log.Warn("sandbox reset: meeting not deleted yet", "booking", cur.ID, "error", err)
				res.MeetingsKept++
				continue
			}
		}
		// The booking goes with its messages: emails to a client of a
		// removed booking (names, join links of deleted meetings) must not
		// stay in the outbox.
		if err := a.Store.Update(ctx, func(tx daoyue.Tx) error {
			if err := tx.DeleteOutboxOfBooking(ctx, ws.ID, cur.ID); err != nil {
				return err
			}
			return tx.DeleteBooking(ctx, ws.ID, cur.ID)
		}); err != nil {
			return err
		}
		res.BookingsRemove++
	}
	return nil
}

// deleteSandboxMeeting deletes a cancelled booking's meeting in Zoom with
// the same calls the sync job makes.
func (a *App) deleteSandboxMeeting(ctx context.Context, b *daoyue.Booking) error {
	if a.Zoom == nil {
		return fmt.Errorf("zoom not configured")
	}
	c, err := a.meetingConnection(ctx, b, &b.Meeting)
	if err != nil {
		return err
	}
	if c == nil {
		return fmt.Errorf("the meeting's Zoom account is disconnected")
	}
	err = a.withAuth(ctx, c, func(auth zoom.Auth) error { return a.Zoom.Client.DeleteMeeting(ctx, auth, b.Meeting.ZoomID) })
	if err != nil && !zoom.IsNotFound(err) {
		return err
	}
	return nil
}
